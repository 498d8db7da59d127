using SimHost.Layout.Protocol;
using SimHost.Layout.Signals;

namespace SimHost.Host.Workers;

/// <summary>
/// JobStart posted to the worker's shared-memory mailbox; the reply is spun for on the caller's thread for a bounded
/// time, then slept for by the <see cref="MailboxReplyWaiter"/> thread (docs/signals.md).
/// </summary>
internal sealed class MailboxTransport : IRequestTransport, IAsyncDisposable
{
    private readonly WorkerConnection _connection;
    private readonly Mailbox _mailbox;
    private readonly int _spinCount;
    private readonly CancellationToken _lifetime;
    private readonly MailboxReplyWaiter _waiter;

    // The inline spin and the waiter thread never read the same reply, but a hostile worker's timing must not be
    // able to make them share the mailbox's copy buffer.
    private readonly Lock _readGate = new();

    /// <param name="connection">Completes or breaks on what the mailbox holds.</param>
    /// <param name="channel">The mailbox and its spin count; this transport owns it from now on.</param>
    /// <param name="lifetime">Cancelled when the connection breaks: ends a long inline spin at once.</param>
    public MailboxTransport(WorkerConnection connection, MailboxChannel channel, CancellationToken lifetime)
    {
        _connection = connection;
        _mailbox = channel.Mailbox;
        _spinCount = channel.ReplyIdle.SpinCount;
        _lifetime = lifetime;
        _waiter = new MailboxReplyWaiter(_mailbox, TakeReply, _mailbox.WorkerId);
    }

    public ValueTask SendAsync(ProtocolMessage message, OutstandingRequest request, TimeSpan replySpin, CancellationToken cancellationToken)
    {
        _mailbox.PostRequest(message, request.Sequence);

        // The fast path: a job that answers within the spin (always the short one, and up to replySpin when the caller
        // has a core for it) lets the caller continue on this thread without any wake-up. Longer jobs are handed to
        // the waiter thread, which sleeps on the futex.
        // A break (crash, EOF, dispose) cancels the lifetime token and ends a long spin at once.
        if (_mailbox.WaitForReply(request.Sequence, _spinCount, TimeSpan.Zero, replySpin, _lifetime))
        {
            TakeReply(request.Sequence);
        }
        else
        {
            _waiter.Arm(request.Sequence, request.Reply.Task);
        }

        return ValueTask.CompletedTask;
    }

    public void Disarm(Task reply) => _waiter.Disarm(reply);

    /// <summary>Stops the waiter thread, waits out any inline spin still running, then unmaps the mailbox.</summary>
    public async ValueTask DisposeAsync()
    {
        _waiter.Dispose();

        // A request registered before the break may still be in its bounded inline spin; the mapping must
        // outlive it. After the break no request can register, and a broken one ends promptly.
        while (_connection.HasOutstanding)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        _mailbox.Dispose();
    }

    /// <summary>Decodes the mailbox reply published for <paramref name="sequence"/> and completes that request.</summary>
    private void TakeReply(ulong sequence)
    {
        var request = _connection.FindOutstanding(sequence);
        if (request is null || request.Reply.Task.IsCompleted)
        {
            // Answered over the pipe, timed out or broken meanwhile.
            return;
        }

        Frame frame;
        lock (_readGate)
        {
            try
            {
                frame = _mailbox.ReadReply();
            }
            catch (ProtocolException exception)
            {
                _connection.Break($"protocol break in the mailbox ({exception.Error}): {exception.Message}");
                return;
            }
        }

        if (frame.Sequence != sequence)
        {
            _connection.Break($"protocol break: the mailbox reply published as #{sequence} is a frame numbered #{frame.Sequence}");
        }
        else if (!request.IsAnsweredBy(frame.Type))
        {
            _connection.Break($"protocol break: {frame.Type} #{sequence} in the mailbox answers a {request.RequestType}");
        }
        else
        {
            request.Reply.TrySetResult(frame);
        }
    }
}
