using System.Collections.Immutable;
using System.IO.Pipes;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;
using SimHost.Layout.Signals;

namespace SimHost.Worker;

/// <summary>
/// One worker's life: load the job catalog, connect to the host's pipe, handshake, then answer JobStart, Ping and
/// Shutdown until the host says stop or goes away.
/// </summary>
internal static class WorkerSession
{
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs the session and returns the process exit code.</summary>
    public static async Task<int> RunAsync(WorkerArguments arguments, AuthToken token)
    {
        // Until Welcome names the host's level: Information. Events below the level are never formatted or written.
        var levelSwitch = new LoggingLevelSwitch(LogEventLevel.Information);
        using var rootLogger = CreateLogger(levelSwitch);
        var logger = rootLogger.ForContext(typeof(WorkerSession));

        using var parentWatch = ParentWatch.Start(arguments.ParentProcessId, () =>
        {
            logger.Warning("Host process {ParentProcessId} is gone; exiting", arguments.ParentProcessId);
            rootLogger.Dispose();

            // Exit from the timer thread: the main thread may be inside a job that never returns.
            Environment.Exit(WorkerExitCodes.HostGone);
        });

        // What cannot be loaded is reported to the host in JobCatalog (which decides whether the run can go on),
        // not a reason to exit: a worker that dies at start looks to the host like a crash, with no reason attached.
        var catalog = JobCatalog.LoadEach([], arguments.JobAssemblies);
        foreach (var failure in catalog.LoadFailures)
        {
            logger.Warning("Could not load {AssemblyPath} ({Error}): {Detail}", failure.AssemblyPath, failure.Error, failure.Detail);
        }

        Mailbox? mailbox = null;
        if (arguments.MailboxPath is { } mailboxPath)
        {
            // Opened before Hello: the host posts the first JobStart only after the handshake, so none is missed.
            try
            {
                mailbox = Mailbox.Open(mailboxPath, arguments.WorkerId);
            }
            catch (Exception exception) when (exception is MailboxFormatException or IOException or UnauthorizedAccessException)
            {
                logger.Fatal("Cannot use the mailbox: {Reason}", exception.Message);
                return WorkerExitCodes.MailboxUnusable;
            }
        }

        // Never unmapped: the session ends with the process, and the mailbox thread may still be inside a job that
        // will post its reply there; unmapping under it would turn a clean exit into SIGSEGV.
        try
        {
            await using var pipe = new NamedPipeClientStream(
                ".", arguments.PipeName, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
            await pipe.ConnectAsync(s_connectTimeout, CancellationToken.None).ConfigureAwait(false);
            using var writer = new FrameWriter(pipe);
            var reader = new FrameReader(pipe);
            var welcome = await HandshakeAsync(arguments, token, catalog, reader, writer).ConfigureAwait(false);
            if (welcome is null)
            {
                logger.Fatal("The host did not welcome this worker");
                return WorkerExitCodes.ProtocolBroken;
            }

            levelSwitch.MinimumLevel = (LogEventLevel)welcome.LogLevel;
            logger.Information("Worker {WorkerId} connected (run {RunId:x16}, pid {ProcessId})", arguments.WorkerId, welcome.RunId, Environment.ProcessId);
            using var segments = new SegmentCache(catalog.ComponentLayouts);
            var executor = new JobExecutor(catalog, segments, rootLogger.ForContext<JobExecutor>());
            if (mailbox is null)
            {
                return await ServeAsync(reader, writer, executor, logger).ConfigureAwait(false);
            }

            return await ServeWithMailboxAsync(reader, writer, executor, mailbox, arguments, logger).ConfigureAwait(false);
        }
        catch (ProtocolException exception)
        {
            logger.Fatal("The host broke the protocol ({Error}): {Reason}", exception.Error, exception.Message);
            return WorkerExitCodes.ProtocolBroken;
        }
        catch (Exception exception) when (exception is IOException or TimeoutException or ObjectDisposedException)
        {
            logger.Warning("The host's pipe is gone ({Reason}); exiting", exception.Message);
            return WorkerExitCodes.HostGone;
        }
    }

    /// <summary>
    /// The worker's logger: every event at or above <paramref name="levelSwitch"/> as one JSON line on standard error
    /// (<see cref="WorkerLogFormatter"/>), which the host decodes into its own logger at the same level. Standard
    /// output is left to the jobs. Tests pass <paramref name="sink"/> to see what would be written instead.
    /// </summary>
    internal static Logger CreateLogger(LoggingLevelSwitch levelSwitch, ILogEventSink? sink = null)
    {
        var configuration = new LoggerConfiguration().MinimumLevel.ControlledBy(levelSwitch);
        return (sink is null
                ? configuration.WriteTo.Console(new WorkerLogFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
                : configuration.WriteTo.Sink(sink))
            .CreateLogger();
    }

    private static async Task<WelcomeMessage?> HandshakeAsync(
        WorkerArguments arguments, AuthToken token, JobCatalog catalog, FrameReader reader, FrameWriter writer)
    {
        var layouts = catalog.ComponentLayouts;
        var hashes = new ulong[layouts.Count];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = layouts[i].Hash;
        }

        var hello = new HelloMessage(
            arguments.WorkerId, Environment.ProcessId, ProtocolConstants.Version, token, ImmutableArray.Create(hashes));
        await writer.WriteAsync(hello, 0).ConfigureAwait(false);
        await writer.WriteAsync(JobCatalogMessage.FromCatalog(catalog), 0).ConfigureAwait(false);
        var frame = await reader.ReadAsync().ConfigureAwait(false);
        return frame is { Sequence: 0, Message: WelcomeMessage welcome } && welcome.WorkerId == arguments.WorkerId ? welcome : null;
    }

    /// <summary>
    /// The pipe loop and the mailbox loop side by side: JobStart arrives through the mailbox, everything else (and a
    /// JobStart the host chose to send by pipe) through the pipe. Either loop's end ends the session.
    /// </summary>
    private static async Task<int> ServeWithMailboxAsync(
        FrameReader reader, FrameWriter writer, JobExecutor executor, Mailbox mailbox, WorkerArguments arguments, ILogger logger)
    {
#if HOSTILE_WORKER
        var server = new MailboxServer(mailbox, arguments.MailboxIdle, executor.Execute, logger.ForContext<MailboxServer>(), writer);
#else
        var server = new MailboxServer(mailbox, arguments.MailboxIdle, executor.Execute, logger.ForContext<MailboxServer>());
#endif
        var thread = server.Start();
        try
        {
            var pipeLoop = ServeAsync(reader, writer, executor, logger);
            var first = await Task.WhenAny(pipeLoop, server.Faulted).ConfigureAwait(false);
            return await first.ConfigureAwait(false);
        }
        finally
        {
            server.Stop();

            // A job that never returns keeps the thread busy: the process exits anyway (background thread).
            thread.Join(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The job loop after the handshake; a malformed frame from the host escapes as <see cref="ProtocolException"/>.</summary>
    internal static async Task<int> ServeAsync(FrameReader reader, FrameWriter writer, JobExecutor executor, ILogger logger)
    {
        while (true)
        {
            var frame = await reader.ReadAsync().ConfigureAwait(false);
            switch (frame?.Message)
            {
                case null:
                    logger.Information("The host closed the pipe; exiting");
                    return WorkerExitCodes.HostGone;
                case JobStartMessage start:
#if HOSTILE_WORKER
                    // Only in tests/HostileWorker: frames a job forged go before the real reply.
                    ReplyForgery.Begin(frame.Value.Sequence);
                    var reply = executor.Execute(start);
                    while (ReplyForgery.TryTake(out var forged))
                    {
                        await writer.WriteAsync(forged.Message, forged.Sequence).ConfigureAwait(false);
                    }
#else
                    var reply = executor.Execute(start);
#endif

                    await writer.WriteAsync(reply, frame.Value.Sequence).ConfigureAwait(false);
                    break;
                case PingMessage:
                    await writer.WriteAsync(PongMessage.Instance, frame.Value.Sequence).ConfigureAwait(false);
                    break;
                case ShutdownMessage:
                    logger.Information("Shutdown requested; exiting");
                    return WorkerExitCodes.Success;
                default:
                    logger.Fatal("The host sent {MessageType}, which a worker never receives; exiting", frame.Value.Type);
                    return WorkerExitCodes.ProtocolBroken;
            }
        }
    }
}
