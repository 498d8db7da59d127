using System.Diagnostics;
using Serilog;
using SimHost.Layout.Protocol;
using SimHost.Layout.Signals;

namespace SimHost.Worker;

/// <summary>
/// The worker's mailbox loop (docs/signals.md): a dedicated thread waits for each JobStart the host publishes in
/// shared memory, runs it and publishes the reply there. It runs beside the pipe loop, which keeps Ping, Shutdown
/// and the handshake.
/// </summary>
/// <remarks>
/// A frame that does not decode, is not a JobStart, or carries another sequence number than the one published is a
/// protocol break: <see cref="Faulted"/> completes and the session exits. Built as tests/HostileWorker (HOSTILE_WORKER),
/// replies a test job forged go over the pipe with the real reply after them, so hostile-worker tests see the same
/// order on both signal paths; the shipped worker has no such code.
/// </remarks>
internal sealed class MailboxServer
{
    // Long enough to cost nothing, short enough that the thread notices a stop request promptly.
    private static readonly TimeSpan s_sleepSlice = TimeSpan.FromMilliseconds(200);

    private readonly Mailbox _mailbox;
    private readonly IdleStrategy _idle;
    private readonly Func<JobStartMessage, ProtocolMessage> _execute;
#if HOSTILE_WORKER
    private readonly FrameWriter _pipeWriter;
#endif
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<int> _faulted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _isStopping;

#if HOSTILE_WORKER
    public MailboxServer(Mailbox mailbox, IdleStrategy idle, Func<JobStartMessage, ProtocolMessage> execute, ILogger logger, FrameWriter pipeWriter)
    {
        _mailbox = mailbox;
        _idle = idle;
        _execute = execute;
        _logger = logger;
        _pipeWriter = pipeWriter;
    }
#else
    public MailboxServer(Mailbox mailbox, IdleStrategy idle, Func<JobStartMessage, ProtocolMessage> execute, ILogger logger)
    {
        _mailbox = mailbox;
        _idle = idle;
        _execute = execute;
        _logger = logger;
    }
#endif

    /// <summary>Completes with an exit code when the mailbox loop hit a protocol break.</summary>
    public Task<int> Faulted => _faulted.Task;

    /// <summary>Starts the loop on a background thread, so a stuck job never keeps the process alive after Shutdown.</summary>
    public Thread Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "simhost-worker mailbox" };
        thread.Start();
        return thread;
    }

    /// <summary>Asks the loop to end and wakes it if it sleeps.</summary>
    public void Stop()
    {
        _isStopping = true;
        _mailbox.InterruptRequestWait();
    }

    private void Run()
    {
        // The host creates a zeroed mailbox for every worker it starts, so 0 is "nothing seen yet". Reading the
        // current value here instead would lose a JobStart posted between Welcome and this thread's start.
        var lastSeen = 0UL;
        // Nothing has fitted yet: the first wait parks after its tight spins. The strategy spins on the clock only
        // while the previous gap between a reply and the next request fitted its limit (frames back to back), so a
        // worker of a slow or paused simulation burns no core.
        var lastGap = TimeSpan.MaxValue;
        try
        {
            while (!_isStopping)
            {
                var idleSince = Stopwatch.GetTimestamp();
                if (!_mailbox.WaitForRequest(lastSeen, _idle.SpinCount, s_sleepSlice, _idle.SpinTimeAfter(lastGap)))
                {
                    lastGap = TimeSpan.MaxValue;
                    continue;
                }

                lastGap = Stopwatch.GetElapsedTime(idleSince);

                var sequence = _mailbox.RequestSequence;
                lastSeen = sequence;
                var frame = _mailbox.ReadRequest();
                if (frame.Message is not JobStartMessage start)
                {
                    Fault($"the host posted {frame.Type} #{frame.Sequence} in the mailbox, which carries only JobStart");
                    return;
                }

                if (frame.Sequence != sequence)
                {
                    Fault($"the mailbox JobStart frame says #{frame.Sequence} but #{sequence} was published");
                    return;
                }

#if HOSTILE_WORKER
                // Only in tests/HostileWorker: frames a job forged go over the pipe, then the real reply after them.
                ReplyForgery.Begin(sequence);
                var reply = _execute(start);
                if (ReplyForgery.TryTake(out var forged))
                {
                    do
                    {
                        _pipeWriter.WriteAsync(forged.Message, forged.Sequence).AsTask().GetAwaiter().GetResult();
                    }
                    while (ReplyForgery.TryTake(out forged));

                    _pipeWriter.WriteAsync(reply, sequence).AsTask().GetAwaiter().GetResult();
                    continue;
                }
#else
                var reply = _execute(start);
#endif

                _mailbox.PostReply(reply, sequence);
            }
        }
        catch (ProtocolException exception)
        {
            Fault($"the host broke the protocol in the mailbox ({exception.Error}): {exception.Message}");
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or ObjectDisposedException)
        {
            _logger.Warning("The host's pipe is gone ({Reason}); exiting", exception.Message);
            _faulted.TrySetResult(WorkerExitCodes.HostGone);
        }
    }

    private void Fault(string reason)
    {
        _logger.Fatal("{Reason}; exiting", reason);
        _faulted.TrySetResult(WorkerExitCodes.ProtocolBroken);
    }
}
