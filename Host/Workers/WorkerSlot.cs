using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using SimHost.Host.Offload;
using SimHost.Layout.Protocol;
using SimHost.Layout.Signals;

namespace SimHost.Host.Workers;

/// <summary>
/// One place in the pool: a worker id, its pipe, its sequence counter (which continues across replacements) and
/// the current worker process. A supervision loop starts the worker, waits for it to fail and starts the next.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore has no wait handle; see _exclusive.")]
internal sealed class WorkerSlot
{
    /// <summary>
    /// How simhost-worker's JobFailed begins when its segment reader rejected the segment (a tampered or foreign
    /// header): that worker's view of shared memory cannot be trusted, so the host treats it as a worker failure.
    /// Kept equal to SimHost.Worker.JobExecutor.SegmentRejectedPrefix.
    /// </summary>
    internal const string SegmentRejectedPrefix = "Segment cannot be used:";

    private readonly WorkerPoolContext _context;
    private readonly RestartTracker _restarts;

    // One request outstanding per worker (docs/protocol.md): a job and a Ping never overlap, and a busy worker is
    // never pinged. Never disposed: no wait handle is ever requested from it, so it holds nothing to release, and a
    // range finishing during pool shutdown must still be able to release it.
#pragma warning disable CA2213
    private readonly SemaphoreSlim _exclusive = new(1, 1);
#pragma warning restore CA2213
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<bool> _firstStart = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WorkerInstance? _current;
    private Process? _process;
    private ulong _sequence;
    private TimeSpan _lastRoundTrip;
    private int _isQueued;
    private string? _lastFailure;

    public WorkerSlot(uint workerId, string pipePath, WorkerPoolContext context)
    {
        WorkerId = workerId;
        PipePath = pipePath;
        _context = context;
        _logger = context.Logger;
        _restarts = new RestartTracker(context.Options.RestartPolicy);
    }

    public uint WorkerId { get; }

    public string PipePath { get; }

    /// <summary>Whether a worker is connected and its connection has not broken.</summary>
    public bool IsAlive => Volatile.Read(ref _current) is { Connection.IsOpen: true };

    /// <summary>The current live worker's reported catalog, or null when none is connected.</summary>
    public JobCatalogMessage? Catalog => Volatile.Read(ref _current) is { Connection.IsOpen: true } current ? current.Connection.Catalog : null;

    /// <summary>Whether the restart policy gave this slot up.</summary>
    public bool IsDown { get; private set; }

    /// <summary>Why the slot went down (the policy's reason and the last failure), once <see cref="IsDown"/>.</summary>
    public string? DownReason { get; private set; }

    /// <summary>This slot's last worker failure (a crash, a hang, a broken protocol, a failed start), or null.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>The current worker's pid, or null.</summary>
    public int? ProcessId => Volatile.Read(ref _current) is { Connection.IsOpen: true } current ? current.Process.Id : null;

    /// <summary>Completes with whether the first start succeeded.</summary>
    public Task<bool> FirstStart => _firstStart.Task;

    /// <summary>The supervision loop; ends when the pool shuts down or the policy gives the slot up.</summary>
    public Task Supervision { get; private set; } = Task.CompletedTask;

    public void StartSupervision() => Supervision = Task.Run(SuperviseAsync);

    /// <summary>Marks the slot queued as idle; false when it already is.</summary>
    public bool TryMarkQueued() => Interlocked.Exchange(ref _isQueued, 1) == 0;

    public void MarkDequeued() => Volatile.Write(ref _isQueued, 0);

    /// <summary>Runs one range on this slot's worker; never throws for a worker failure.</summary>
    public async Task<RangeOutcome> RunAsync(RangeRequest request, CancellationToken cancellationToken)
    {
        // A Ping in flight holds the slot for at most the ping timeout.
        await _exclusive.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunExclusiveAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _exclusive.Release();
        }
    }

    private async Task<RangeOutcome> RunExclusiveAsync(RangeRequest request, CancellationToken cancellationToken)
    {
        // One snapshot of process and connection: the supervision loop may start a replacement meanwhile, and a
        // failure here must never kill or describe the replacement.
        var current = Volatile.Read(ref _current);
        var id = (int)WorkerId;
        if (current is not { Connection.IsOpen: true })
        {
            return RangeOutcome.Failed($"worker {id} is not running", id);
        }

        var connection = current.Connection;

        var range = request.Range;
        var start = new JobStartMessage(
            range.FrameId,
            request.JobName,
            request.Segment.Path,
            request.SegmentGeneration,
            (uint)range.RowStart,
            (uint)range.RowCount,
            range.DeltaTime,
            range.Time,
            [.. range.Parameters.Span],
            range.WritableColumns,
            (uint)range.Ticks,
            range.LiveColumns);
        var sequence = Interlocked.Increment(ref _sequence);
        var what = string.Create(CultureInfo.InvariantCulture, $"{request.JobName} rows {range.RowStart}+{range.RowCount} (#{sequence})");
        var busyWorkers = _context.EnterBusy();
        try
        {
            var replySpin = ReplySpinFor(request, busyWorkers);
            var sent = Stopwatch.GetTimestamp();
            var reply = await connection.RequestAsync(start, sequence, _context.Options.JobTimeout, replySpin, cancellationToken).ConfigureAwait(false);
            _lastRoundTrip = Stopwatch.GetElapsedTime(sent);
            switch (reply.Message)
            {
                case JobDoneMessage done when done.RowStart == start.RowStart && done.RowCount == start.RowCount:
                    return RangeOutcome.Success((int)done.RowsChanged, done.Elapsed, id);
                case JobDoneMessage done:
                    return Kill(current, $"protocol break: worker {id} answered {what} with rows {done.RowStart}+{done.RowCount}");
                case JobFailedMessage failed when failed.ErrorText.StartsWith(SegmentRejectedPrefix, StringComparison.Ordinal):
                    return Kill(current, $"worker {id} rejected the segment of {what}: {failed.ErrorText}; killed");
                case JobFailedMessage failed:
                    Volatile.Write(ref _lastFailure, $"{what} failed in worker {id}: {failed.ErrorText}");
                    WorkerLog.JobFailed(_logger, what, id, failed.ErrorText);
                    return RangeOutcome.Failed($"{what} failed in worker {id}: {failed.ErrorText}", id);
                default:
                    return Kill(current, $"protocol break: worker {id} answered {what} with {reply.Type}");
            }
        }
        catch (TimeoutException)
        {
            return Kill(current, $"worker {id} did not finish {what} within {_context.Options.JobTimeout}; killed");
        }
        catch (WorkerBrokenException exception)
        {
            var exit = await DescribeExitAsync(current).ConfigureAwait(false);
            return Kill(current, $"worker {id} failed during {what}: {exception.Message}{exit}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker is mid-job with nobody waiting for its answer: it cannot be reused safely.
            Kill(current, $"the run was cancelled during {what}");
            throw;
        }
        finally
        {
            _context.ExitBusy();
        }
    }

    // The host thread may spin for the reply only when nothing waits behind its caller, a core is left
    // for it beside every busy worker, and the previous round trip fitted the limit (a long job is slept on).
    private TimeSpan ReplySpinFor(RangeRequest request, int busyWorkers)
    {
        var limit = _context.Options.ReplySpinLimit;
        var fits = request.MayBlockCaller && busyWorkers < Environment.ProcessorCount && _lastRoundTrip <= limit;

        // Never past the job timeout, so a reply the spin sees is never one the timeout would have refused.
        return fits ? TimeSpan.FromTicks(Math.Min(limit.Ticks, _context.Options.JobTimeout.Ticks)) : TimeSpan.Zero;
    }

    /// <summary>Asks the current worker to exit, waits up to the grace period, then kills what remains.</summary>
    public async Task ShutdownAsync()
    {
        var connection = Volatile.Read(ref _current)?.Connection;
        var process = Volatile.Read(ref _process);
        if (connection is { IsOpen: true })
        {
            try
            {
                await connection.SendAsync(ShutdownMessage.Instance, Interlocked.Increment(ref _sequence), CancellationToken.None).ConfigureAwait(false);
            }
            catch (WorkerBrokenException)
            {
                // Already gone: the kill below is a no-op.
            }
        }

        if (process is not null)
        {
            await WaitForExitAsync(process, _context.Options.ShutdownGrace).ConfigureAwait(false);
            KillProcess(process);
        }

        connection?.Break("the pool is shutting down");
    }

    private async Task SuperviseAsync()
    {
        var startFailures = 0;
        var shutdown = _context.Shutdown;
        string? lostReason = null;
        while (!shutdown.IsCancellationRequested)
        {
            var connection = await TryStartAsync(shutdown).ConfigureAwait(false);
            _firstStart.TrySetResult(connection is not null);
            if (connection is not null)
            {
                startFailures = 0;
                _restarts.OnReady();
                _context.OnSlotReady(this);
                var instance = Volatile.Read(ref _current)!;
                await WatchAsync(instance, shutdown).ConfigureAwait(false);
                KillProcess(instance.Process);
                await WaitForExitAsync(instance.Process, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                instance.Exit.TrySetResult(instance.Process.HasExited ? DescribeExit(instance.Process) : " (state unknown)");

                await connection.DisposeAsync().ConfigureAwait(false);
                if (shutdown.IsCancellationRequested)
                {
                    break;
                }

                var exit = instance.Exit.Task.IsCompletedSuccessfully ? instance.Exit.Task.Result : string.Empty;
                Volatile.Write(ref _lastFailure, $"worker {WorkerId} lost: {connection.BrokenReason}{(exit.Length > 0 && connection.BrokenReason?.Contains(" exited", StringComparison.Ordinal) != true ? "; it exited" + exit : string.Empty)}");
                lostReason = connection.BrokenReason ?? "its connection closed";
            }
            else if (!shutdown.IsCancellationRequested)
            {
                startFailures++;
                Volatile.Write(ref _lastFailure, $"worker {WorkerId} failed to start");
            }

            if (shutdown.IsCancellationRequested)
            {
                break;
            }

            var decision = _restarts.OnFailure(startFailures);
            if (lostReason is not null)
            {
                // A restart is counted when a replacement is started, not when the policy gives the slot up instead.
                if (decision.ShouldRestart)
                {
                    WorkerLog.WorkerLostReplacing(_logger, WorkerId, lostReason);
                    _context.OnRestart();
                }
                else
                {
                    WorkerLog.WorkerLost(_logger, WorkerId, lostReason);
                }

                lostReason = null;
            }

            if (!decision.ShouldRestart)
            {
                WorkerLog.SlotStaysDown(_logger, WorkerId, decision.GiveUpReason);
                DownReason = $"slot {WorkerId}: {decision.GiveUpReason}{(LastFailure is { } failure ? $" after {failure}" : string.Empty)}";
                IsDown = true;
                _context.OnSlotDown();
                break;
            }

            if (decision.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(decision.Delay, _context.Options.RestartPolicy.TimeProvider, shutdown).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        _firstStart.TrySetResult(false);
        var last = Volatile.Read(ref _process);
        if (last is not null)
        {
            KillProcess(last);
            await WaitForExitAsync(last, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            last.Dispose();
        }
    }

    /// <summary>Pings the idle worker every interval until its connection closes (a failure, a kill, or shutdown).</summary>
    private async Task WatchAsync(WorkerInstance instance, CancellationToken shutdown)
    {
        var options = _context.Options;
        var connection = instance.Connection;
        if (options.PingInterval != Timeout.InfiniteTimeSpan)
        {
            var clock = options.RestartPolicy.TimeProvider;
            while (connection.IsOpen && !shutdown.IsCancellationRequested)
            {
                // WhenAny never throws: a cancelled delay just ends the wait.
                await Task.WhenAny(connection.Closed, Task.Delay(options.PingInterval, clock, shutdown)).ConfigureAwait(false);
                if (connection.IsOpen && !shutdown.IsCancellationRequested)
                {
                    await PingAsync(instance, shutdown).ConfigureAwait(false);
                }
            }
        }

        // On shutdown, ShutdownAsync breaks the connection once the worker has been told to exit.
        await connection.Closed.ConfigureAwait(false);
    }

    private async Task PingAsync(WorkerInstance instance, CancellationToken shutdown)
    {
        if (!_exclusive.Wait(0, CancellationToken.None))
        {
            // Busy with a job: the job timeout covers it.
            return;
        }

        var sequence = Interlocked.Increment(ref _sequence);
        try
        {
            await instance.Connection.RequestAsync(PingMessage.Instance, sequence, _context.Options.PingTimeout, shutdown).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill(instance, $"worker {WorkerId} did not answer Ping #{sequence} within {_context.Options.PingTimeout}; killed");
        }
        catch (WorkerBrokenException)
        {
            // The watch loop sees the connection closed; the receive loop logged why.
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // The pool is shutting down.
        }
        finally
        {
            _exclusive.Release();
        }
    }

    private async Task<WorkerConnection?> TryStartAsync(CancellationToken shutdown)
    {
        var previous = Interlocked.Exchange(ref _process, null);
        previous?.Dispose();
        MailboxChannel? mailbox;
        try
        {
            mailbox = CreateMailbox();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            WorkerLog.MailboxFailed(_logger, WorkerId, MailboxPath, exception.Message);
            return null;
        }

        try
        {
            var connection = await TryStartWithAsync(mailbox, shutdown).ConfigureAwait(false);
            if (connection is null)
            {
                mailbox?.Mailbox.Dispose();
            }

            return connection;
        }
        finally
        {
            // The worker mapped it before Hello (or never will): the name is no longer needed, and removing it
            // now leaves nothing behind however the worker or the host ends.
            if (mailbox is not null)
            {
                TryDelete(mailbox.Mailbox.Path);
            }
        }
    }

    /// <summary>The mailbox file: beside the pipe's socket, in the run directory when the pipe is there.</summary>
    private string MailboxPath => Path.ChangeExtension(PipePath, ".mailbox");

    private MailboxChannel? CreateMailbox()
    {
        var options = _context.Options;
        if (options.SignalPath != SignalPath.Mailbox || !Futex.IsSupported)
        {
            return null;
        }

        return new MailboxChannel(Mailbox.Create(MailboxPath, WorkerId), options.MailboxSpinCount, options.WorkerIdleSpinLimit);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The run directory's removal takes it with it.
        }
    }

    private async Task<WorkerConnection?> TryStartWithAsync(MailboxChannel? mailbox, CancellationToken shutdown)
    {
        Process process;
        try
        {
            process = _context.Launcher.Start(WorkerId, PipePath, _context.Token, _context.Options.JobAssemblies, _context.Logger, mailbox);
        }
        catch (WorkerStartException exception)
        {
            WorkerLog.StartFailed(_logger, WorkerId, exception.Message);
            return null;
        }

        Volatile.Write(ref _process, process);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        attempt.CancelAfter(_context.Options.HandshakeTimeout);
        using var onExit = CancelOnExit(process, attempt);
        var handshake = new WorkerHandshake(WorkerId, process.Id, _context.Token, _context.LayoutHashes);
        var welcome = new WelcomeMessage(WorkerId, _context.RunId, _context.Options.JobTimeout, (WorkerLogLevel)Math.Min((int)_context.Options.LogLevel, (int)WorkerLogLevel.Fatal));
        try
        {
            var connection = await WorkerConnection.AcceptAsync(PipePath, handshake, welcome, mailbox, _logger, attempt.Token).ConfigureAwait(false);
            if (JobAvailability.FindMissing(_context.RequiredJobs, WorkerId, connection.Catalog, _context.HostCatalog) is { } missing)
            {
                // A replacement that cannot run what the simulation uses is a failed start: the restart policy
                // backs off and in time gives the slot up, and the reason is logged once per start, not per range.
                WorkerLog.JobsMissing(_logger, WorkerId, missing.Message);
                await connection.DisposeAsync().ConfigureAwait(false);
                KillProcess(process);
                await WaitForExitAsync(process, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                return null;
            }

            Volatile.Write(ref _current, new WorkerInstance(process, connection));
            WorkerLog.WorkerReady(_logger, WorkerId, process.Id);
            return connection;
        }
        catch (WorkerStartException)
        {
            // Already logged with the refusal's reason.
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or UnauthorizedAccessException)
        {
            if (!shutdown.IsCancellationRequested)
            {
                var why = process.HasExited ? $"it exited{DescribeExit(process)}" : $"no Hello within {_context.Options.HandshakeTimeout}";
                WorkerLog.DidNotConnect(_logger, WorkerId, why);
            }
        }

        KillProcess(process);
        await WaitForExitAsync(process, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        return null;
    }

    private static ExitSubscription CancelOnExit(Process process, CancellationTokenSource attempt)
    {
        // Exited fires on a runtime thread; cancelling the handshake makes a worker that died at start fail fast.
        var subscription = new ExitSubscription(process, attempt);
        if (process.HasExited)
        {
            attempt.Cancel();
        }

        return subscription;
    }

    private RangeOutcome Kill(WorkerInstance instance, string reason)
    {
        Volatile.Write(ref _lastFailure, reason);
        WorkerLog.Tagged(_logger, LogLevel.Warning, WorkerId, "Reason", reason, "{Reason}");
        instance.Connection.Break(reason);
        KillProcess(instance.Process);

        return RangeOutcome.Failed(reason, (int)WorkerId);
    }

    private static async Task<string> DescribeExitAsync(WorkerInstance instance)
    {
        // A crashed worker's pipe closes a moment before the kernel reaps it; the exit code makes the log line useful.
        // The supervision loop records it (it owns the Process object and disposes it when it starts the next one).
        try
        {
            return "; it exited" + await instance.Exit.Task.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return string.Empty;
        }
    }

    private static string DescribeExit(Process process)
    {
        var code = process.ExitCode;
        var signal = code > 128 && code < 160 ? code - 128 : 0;
        var name = signal switch
        {
            6 => " (SIGABRT)",
            9 => " (SIGKILL)",
            11 => " (SIGSEGV)",
            _ => string.Empty,
        };
        return signal != 0 ? $" with code {code}, signal {signal}{name}" : $" with code {code}";
    }

    private static async Task WaitForExitAsync(Process process, TimeSpan timeout)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
        {
            // Still running (the caller kills it) or never started.
        }
    }

    private static void KillProcess(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }

    /// <summary>Cancels a handshake attempt when the worker exits; disposing unsubscribes before the source is disposed.</summary>
    private sealed class ExitSubscription : IDisposable
    {
        private readonly Process _process;
        private readonly CancellationTokenSource _attempt;
        private readonly Lock _gate = new();
        private bool _isDisposed;

        public ExitSubscription(Process process, CancellationTokenSource attempt)
        {
            _process = process;
            _attempt = attempt;
            process.Exited += OnExited;
        }

        public void Dispose()
        {
            _process.Exited -= OnExited;
            lock (_gate)
            {
                _isDisposed = true;
            }
        }

        private void OnExited(object? sender, EventArgs e)
        {
            lock (_gate)
            {
                if (!_isDisposed)
                {
                    _attempt.Cancel();
                }
            }
        }
    }

    /// <summary>One worker process and its connection, replaced together.</summary>
    private sealed record WorkerInstance(Process Process, WorkerConnection Connection)
    {
        /// <summary>How the process ended (" with code 139, signal 11 (SIGSEGV)"), once the supervision loop reaped it.</summary>
        public TaskCompletionSource<string> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
