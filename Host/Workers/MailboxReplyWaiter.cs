using SimHost.Layout.Signals;

namespace SimHost.Host.Workers;

/// <summary>
/// The slow half of the host's mailbox wait: a dedicated thread that sleeps on the reply futex once a request has
/// outlived the caller's inline spin, and hands the reply to the connection.
/// </summary>
/// <remarks>
/// A dedicated thread, not a thread-pool one: a futex sleep is invisible to the pool's starvation logic, and one
/// blocked pool thread per worker on a 2-core machine would stall the frame's other continuations. Its wake-up costs
/// what a pipe wake-up costs, but only jobs longer than the spin pay it.
/// </remarks>
internal sealed class MailboxReplyWaiter : IDisposable
{
    // The waiter re-checks the armed request this often even without a wake; interrupts make it prompt anyway.
    private static readonly TimeSpan s_sleepSlice = TimeSpan.FromMilliseconds(50);

    private readonly Mailbox _mailbox;
    private readonly Action<ulong> _onReply;
    private readonly SemaphoreSlim _armed = new(0);
    private readonly Thread _thread;
    private ulong _sequence;
    private Task? _completion;
    private volatile bool _isStopping;

    /// <param name="mailbox">The host's end of the worker's mailbox.</param>
    /// <param name="onReply">Called on the waiter thread with the armed sequence once its reply is published.</param>
    /// <param name="workerId">For the thread name.</param>
    public MailboxReplyWaiter(Mailbox mailbox, Action<ulong> onReply, uint workerId)
    {
        _mailbox = mailbox;
        _onReply = onReply;
        _thread = new Thread(Run) { IsBackground = true, Name = $"simhost mailbox w{workerId}" };
        _thread.Start();
    }

    /// <summary>Waits for the reply to <paramref name="sequence"/> until it arrives or <paramref name="completion"/> completes.</summary>
    public void Arm(ulong sequence, Task completion)
    {
        Volatile.Write(ref _sequence, sequence);
        Volatile.Write(ref _completion, completion);
        _armed.Release();
    }

    /// <summary>Ends the wait for <paramref name="completion"/> (answered by pipe, timed out, broken) if it is armed.</summary>
    public void Disarm(Task completion)
    {
        if (ReferenceEquals(Volatile.Read(ref _completion), completion))
        {
            Volatile.Write(ref _completion, null);
            _mailbox.InterruptReplyWait();
        }
    }

    /// <summary>Stops the thread and waits for it, so the mailbox can be unmapped safely afterwards.</summary>
    public void Dispose()
    {
        _isStopping = true;
        _armed.Release();
        _mailbox.InterruptReplyWait();
        _thread.Join();
        _armed.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            _armed.Wait();
            if (_isStopping)
            {
                return;
            }

            var sequence = Volatile.Read(ref _sequence);
            var completion = Volatile.Read(ref _completion);
            while (!_isStopping && completion is { IsCompleted: false } && ReferenceEquals(Volatile.Read(ref _completion), completion))
            {
                if (_mailbox.WaitForReply(sequence, spinCount: 0, s_sleepSlice))
                {
                    _onReply(sequence);
                    break;
                }
            }
        }
    }
}
