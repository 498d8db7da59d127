using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SimHost.Host.Diagnostics;
using SimHost.Layout.Protocol;
using SimHost.Layout.Signals;

namespace SimHost.Host.Workers;

/// <summary>
/// Starts one slot's next worker: creates its mailbox file, launches the process, runs the handshake and checks the
/// worker can run the simulation's jobs. A start that fails in any step kills what it launched and returns null.
/// </summary>
internal sealed class WorkerStarter(uint workerId, string pipePath, WorkerPoolContext context)
{
    private readonly ILogger _logger = context.Logger;
    private Process? _launched;

    /// <summary>The last process launched (connected or still in its handshake), or null.</summary>
    public Process? Launched => Volatile.Read(ref _launched);

    /// <summary>Why the last start failed, one line naming the worker (as logged), or null when it did not fail.</summary>
    public string? LastStartFailure { get; private set; }

    private string MailboxPath => WorkerPipePaths.MailboxOf(pipePath);

    /// <summary>Starts a worker and returns it connected, or null when the start failed (already logged).</summary>
    public async Task<WorkerInstance?> TryStartAsync(CancellationToken shutdown)
    {
        var previous = Interlocked.Exchange(ref _launched, null);
        previous?.Dispose();
        LastStartFailure = null;
        MailboxChannel? mailbox;
        try
        {
            mailbox = CreateMailbox();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            WorkerLog.MailboxFailed(_logger, workerId, MailboxPath, exception.Message);
            LastStartFailure = $"worker {workerId} failed to start: its mailbox {MailboxPath} could not be created: {exception.Message}";
            return null;
        }

        try
        {
            var instance = await TryStartWithAsync(mailbox, shutdown).ConfigureAwait(false);
            if (instance is null)
            {
                mailbox?.Mailbox.Dispose();
            }

            return instance;
        }
        finally
        {
            // The worker mapped it before Hello (or never will): the name is no longer needed, and removing it
            // now leaves nothing behind however the worker or the host ends.
            if (mailbox is not null)
            {
                WorkerPipePaths.TryDelete(mailbox.Mailbox.Path);
            }
        }
    }

    /// <summary>Kills and reaps the last process launched, once supervision ends.</summary>
    public async Task ReapLastAsync()
    {
        var last = Launched;
        if (last is not null)
        {
            await ProcessExit.KillAndWaitAsync(last).ConfigureAwait(false);
            last.Dispose();
        }
    }

    private MailboxChannel? CreateMailbox()
    {
        var options = context.Options;
        if (options.SignalPath != SignalPath.Mailbox || !Futex.IsSupported)
        {
            return null;
        }

        return new MailboxChannel(Mailbox.Create(MailboxPath, workerId), options.ReplyIdle, options.WorkerIdle);
    }

    private async Task<WorkerInstance?> TryStartWithAsync(MailboxChannel? mailbox, CancellationToken shutdown)
    {
        Process process;
        try
        {
            process = context.Launcher.Start(workerId, pipePath, context.Token, context.Options.JobAssemblies, _logger, mailbox);
        }
        catch (WorkerStartException exception)
        {
            WorkerLog.StartFailed(_logger, workerId, exception.Message);
            LastStartFailure = exception.Message;
            return null;
        }

        Volatile.Write(ref _launched, process);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        attempt.CancelAfter(context.Options.HandshakeTimeout);
        using var onExit = ProcessExitSubscription.CancelOnExit(process, attempt);
        var handshake = new WorkerHandshake(workerId, process.Id, context.Token, context.LayoutHashes);
        var welcome = new WelcomeMessage(workerId, context.RunId, context.Options.JobTimeout, (WorkerLogLevel)Math.Min((int)context.Options.LogLevel, (int)WorkerLogLevel.Fatal));
        try
        {
            var connection = await WorkerListener.AcceptAsync(pipePath, handshake, welcome, mailbox, _logger, attempt.Token).ConfigureAwait(false);
            if (JobAvailability.FindMissing(context.RequiredJobs, workerId, connection.Catalog, context.HostCatalog) is { } missing)
            {
                // A replacement that cannot run what the simulation uses is a failed start: the restart policy
                // backs off and in time gives the slot up, and the reason is logged once per start, not per range.
                WorkerLog.JobsMissing(_logger, workerId, missing.Message);
                LastStartFailure = $"worker {workerId} failed to start: {missing.Message}";
                await connection.DisposeAsync().ConfigureAwait(false);
                await ProcessExit.KillAndWaitAsync(process).ConfigureAwait(false);
                return null;
            }

            return new WorkerInstance(process, connection);
        }
        catch (WorkerStartException exception)
        {
            // Already logged with the refusal's reason.
            LastStartFailure = exception.Message;
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or UnauthorizedAccessException)
        {
            if (!shutdown.IsCancellationRequested)
            {
                var why = process.HasExited ? $"it exited{ProcessExit.Describe(process)}" : $"no Hello within {DurationFormat.Format(context.Options.HandshakeTimeout)}";
                WorkerLog.DidNotConnect(_logger, workerId, why);
                LastStartFailure = $"worker {workerId} did not connect: {why} (its output, if any, is in the log)";
            }
        }

        await ProcessExit.KillAndWaitAsync(process).ConfigureAwait(false);
        return null;
    }
}
