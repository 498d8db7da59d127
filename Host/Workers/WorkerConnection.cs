using System.IO.Pipes;
using Microsoft.Extensions.Logging;
using SimHost.Layout.Protocol;
using SimHost.Layout.Signals;

namespace SimHost.Host.Workers;

/// <summary>
/// The host's end of one worker's pipe after a successful handshake: one request outstanding at a time, replies
/// matched by sequence number in a single receive loop.
/// </summary>
/// <remarks>
/// A reply whose sequence number is not the outstanding one (a late answer to a request that timed out) is dropped
/// and logged. A reply of the wrong type, a worker-bound message from the worker, a malformed frame or EOF breaks
/// the connection: the outstanding request fails with <see cref="WorkerBrokenException"/> and <see cref="Closed"/>
/// completes. A broken connection is never reused.
/// </remarks>
internal sealed class WorkerConnection : IAsyncDisposable
{
    private readonly NamedPipeServerStream _pipe;
    private readonly FrameReader _reader;
    private readonly FrameWriter _writer;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiveLoop;
    private readonly Mailbox? _mailbox;
    private readonly MailboxReplyWaiter? _mailboxWaiter;
    private readonly int _mailboxSpinCount;

    // The inline spin and the waiter thread never read the same reply, but a hostile worker's timing must not be
    // able to make them share the mailbox's copy buffer.
    private readonly Lock _mailboxReadGate = new();
    private Outstanding? _outstanding;
    private string? _brokenReason;

    private WorkerConnection(
        NamedPipeServerStream pipe, FrameReader reader, FrameWriter writer, HelloMessage hello, JobCatalogMessage catalog, MailboxChannel? mailbox, ILogger logger)
    {
        _pipe = pipe;
        _reader = reader;
        _writer = writer;
        Hello = hello;
        Catalog = catalog;
        _logger = logger;
        if (mailbox is not null)
        {
            _mailbox = mailbox.Mailbox;
            _mailboxSpinCount = mailbox.SpinCount;
            _mailboxWaiter = new MailboxReplyWaiter(_mailbox, TakeMailboxReply, hello.WorkerId);
        }

        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Whether JobStart goes through the shared-memory mailbox rather than the pipe.</summary>
    public bool UsesMailbox => _mailbox is not null;

    /// <summary>The worker's accepted Hello.</summary>
    public HelloMessage Hello { get; }

    /// <summary>The jobs the worker loaded and what it could not load, from its JobCatalog.</summary>
    public JobCatalogMessage Catalog { get; }

    /// <summary>Completes when the connection breaks or is disposed.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Whether the connection is still usable.</summary>
    public bool IsOpen => !_closed.Task.IsCompleted;

    /// <summary>Why the connection broke, once it has.</summary>
    public string? BrokenReason
    {
        get
        {
            lock (_gate)
            {
                return _brokenReason;
            }
        }
    }

    /// <summary>
    /// Listens on <paramref name="pipePath"/> until a peer sends an acceptable Hello and JobCatalog, then answers Welcome. A peer
    /// without the token is dropped and listening goes on; our own worker with a wrong id, pid, version or layouts
    /// ends the attempt. On success the connection owns <paramref name="mailbox"/>; otherwise the caller still does.
    /// </summary>
    /// <exception cref="WorkerStartException">Our worker was refused.</exception>
    /// <exception cref="OperationCanceledException">The token fired (timeout, worker exit or shutdown).</exception>
    public static async Task<WorkerConnection> AcceptAsync(
        string pipePath, WorkerHandshake handshake, WelcomeMessage welcome, MailboxChannel? mailbox, ILogger logger, CancellationToken cancellationToken)
    {
        var server = CreateServer(pipePath);
        try
        {
            while (true)
            {
                await server.WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
                var reader = new FrameReader(server);
                HandshakeRefusal? refusal;
                Frame? first = null;
                try
                {
                    first = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    refusal = first is { } frame ? handshake.Check(frame) : new HandshakeRefusal(true, "the peer closed the pipe before Hello");
                }
                catch (Exception exception) when (exception is ProtocolException or IOException)
                {
                    refusal = new HandshakeRefusal(true, $"unreadable first frame: {exception.Message}");
                }

                JobCatalogMessage? catalog = null;
                if (refusal is null)
                {
                    // The token matched: from here on the peer is our worker, and a bad frame refuses it.
                    (catalog, refusal) = await ReadCatalogAsync(reader, handshake, (HelloMessage)first!.Value.Message, cancellationToken).ConfigureAwait(false);
                }

                if (refusal is null)
                {
                    var writer = new FrameWriter(server);
                    await writer.WriteAsync(welcome, 0, cancellationToken).ConfigureAwait(false);
                    var connection = new WorkerConnection(server, reader, writer, (HelloMessage)first!.Value.Message, catalog!, mailbox, logger);
                    server = null;
                    return connection;
                }

                if (!refusal.Value.IsStranger)
                {
                    WorkerLog.HandshakeRefused(logger, handshake.WorkerId, refusal.Value.Reason);
                    throw new WorkerStartException($"Worker {handshake.WorkerId} refused at handshake: {refusal.Value.Reason}.");
                }

                WorkerLog.ConnectionRefused(logger, handshake.WorkerId, refusal.Value.Reason);

                // Open the next instance before closing this one so the socket file never disappears in between.
                var next = CreateServer(pipePath);
                await server.DisposeAsync().ConfigureAwait(false);
                server = next;
            }
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<(JobCatalogMessage? Catalog, HandshakeRefusal? Refusal)> ReadCatalogAsync(
        FrameReader reader, WorkerHandshake handshake, HelloMessage hello, CancellationToken cancellationToken)
    {
        try
        {
            var frame = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (frame is not { } second)
            {
                return (null, new HandshakeRefusal(false, "the worker closed the pipe before JobCatalog"));
            }

            return (second.Message as JobCatalogMessage, handshake.CheckCatalog(hello, second));
        }
        catch (Exception exception) when (exception is ProtocolException or IOException)
        {
            return (null, new HandshakeRefusal(false, $"unreadable JobCatalog: {exception.Message}"));
        }
    }

    /// <summary>Sends <paramref name="message"/> as the one outstanding request and waits for its reply.</summary>
    /// <exception cref="WorkerBrokenException">The connection broke before or while waiting.</exception>
    /// <exception cref="TimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">The token fired.</exception>
    public Task<Frame> RequestAsync(ProtocolMessage message, ulong sequence, TimeSpan timeout, CancellationToken cancellationToken) =>
        RequestAsync(message, sequence, timeout, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// Sends <paramref name="message"/> as the one outstanding request and waits for its reply, spinning on this thread
    /// for up to <paramref name="replySpin"/> for a mailbox reply before sleeping.
    /// </summary>
    /// <exception cref="WorkerBrokenException">The connection broke before or while waiting.</exception>
    /// <exception cref="TimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">The token fired.</exception>
    public async Task<Frame> RequestAsync(ProtocolMessage message, ulong sequence, TimeSpan timeout, TimeSpan replySpin, CancellationToken cancellationToken)
    {
        var outstanding = new Outstanding(sequence, message.Type);
        lock (_gate)
        {
            if (_brokenReason is not null)
            {
                throw new WorkerBrokenException(_brokenReason);
            }

            if (_outstanding is not null)
            {
                throw new InvalidOperationException($"Request {_outstanding.Sequence} is still outstanding; one request at a time.");
            }

            _outstanding = outstanding;
        }

        try
        {
            if (_mailbox is not null && message.Type == MessageType.JobStart)
            {
                PostToMailbox(message, outstanding, replySpin);
            }
            else
            {
                await SendAsync(message, sequence, cancellationToken).ConfigureAwait(false);
            }

            return await outstanding.Reply.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Disarm first: DisposeAsync unmaps the mailbox once no request is outstanding.
            _mailboxWaiter?.Disarm(outstanding.Reply.Task);
            lock (_gate)
            {
                if (ReferenceEquals(_outstanding, outstanding))
                {
                    _outstanding = null;
                }
            }
        }
    }

    /// <summary>Sends a message that has no reply (Shutdown).</summary>
    /// <exception cref="WorkerBrokenException">The pipe is gone.</exception>
    public async Task SendAsync(ProtocolMessage message, ulong sequence, CancellationToken cancellationToken)
    {
        try
        {
            await _writer.WriteAsync(message, sequence, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or ObjectDisposedException)
        {
            Break($"the pipe failed while sending {message.Type} #{sequence}: {exception.Message}");
            throw new WorkerBrokenException(BrokenReason!);
        }
    }

    /// <summary>Marks the connection broken for <paramref name="reason"/>; the first reason wins.</summary>
    public void Break(string reason)
    {
        Outstanding? outstanding;
        lock (_gate)
        {
            if (_brokenReason is not null)
            {
                return;
            }

            _brokenReason = reason;
            outstanding = _outstanding;
        }

        outstanding?.Reply.TrySetException(new WorkerBrokenException(reason));
        if (outstanding is not null)
        {
            _mailboxWaiter?.Disarm(outstanding.Reply.Task);
        }

        _lifetime.Cancel();
        _closed.TrySetResult();
    }

    /// <summary>Breaks the connection (if still open), stops the receive loop and the mailbox waiter, closes the pipe and unmaps the mailbox.</summary>
    public async ValueTask DisposeAsync()
    {
        Break("the connection was closed by the host");
        await _pipe.DisposeAsync().ConfigureAwait(false);
        await _receiveLoop.ConfigureAwait(false);
        _writer.Dispose();
        _lifetime.Dispose();
        if (_mailbox is not null)
        {
            _mailboxWaiter!.Dispose();

            // A request registered before the break may still be in its bounded inline spin; the mapping must
            // outlive it. After the break no request can register, and a broken one ends promptly.
            while (Volatile.Read(ref _outstanding) is not null)
            {
                await Task.Delay(1).ConfigureAwait(false);
            }

            _mailbox.Dispose();
        }
    }

    private static NamedPipeServerStream CreateServer(string pipePath) => new(
        pipePath,
        PipeDirection.InOut,
        maxNumberOfServerInstances: 2,
        PipeTransmissionMode.Byte,
        PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);

    private void PostToMailbox(ProtocolMessage message, Outstanding outstanding, TimeSpan replySpin)
    {
        _mailbox!.PostRequest(message, outstanding.Sequence);

        // The fast path: a job that answers within the spin (always the short one, and up to replySpin when the caller
        // has a core for it) lets the caller continue on this thread without any wake-up. Longer jobs are handed to
        // the waiter thread, which sleeps on the futex.
        // A break (crash, EOF, dispose) cancels the lifetime token and ends a long spin at once.
        if (_mailbox.WaitForReply(outstanding.Sequence, _mailboxSpinCount, TimeSpan.Zero, replySpin, _lifetime.Token))
        {
            TakeMailboxReply(outstanding.Sequence);
        }
        else
        {
            _mailboxWaiter!.Arm(outstanding.Sequence, outstanding.Reply.Task);
        }
    }

    /// <summary>Decodes the mailbox reply published for <paramref name="sequence"/> and completes that request.</summary>
    private void TakeMailboxReply(ulong sequence)
    {
        Outstanding? outstanding;
        lock (_gate)
        {
            outstanding = _outstanding?.Sequence == sequence ? _outstanding : null;
        }

        if (outstanding is null || outstanding.Reply.Task.IsCompleted)
        {
            // Answered over the pipe, timed out or broken meanwhile.
            return;
        }

        Frame frame;
        lock (_mailboxReadGate)
        {
            try
            {
                frame = _mailbox!.ReadReply();
            }
            catch (ProtocolException exception)
            {
                Break($"protocol break in the mailbox ({exception.Error}): {exception.Message}");
                return;
            }
        }

        if (frame.Sequence != sequence)
        {
            Break($"protocol break: the mailbox reply published as #{sequence} is a frame numbered #{frame.Sequence}");
        }
        else if (!IsReplyTo(frame.Type, outstanding.RequestType))
        {
            Break($"protocol break: {frame.Type} #{sequence} in the mailbox answers a {outstanding.RequestType}");
        }
        else
        {
            outstanding.Reply.TrySetResult(frame);
        }
    }

    private static bool IsReplyTo(MessageType reply, MessageType request) => request switch
    {
        MessageType.JobStart => reply is MessageType.JobDone or MessageType.JobFailed,
        MessageType.Ping => reply is MessageType.Pong,
        _ => false,
    };

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                var frame = await _reader.ReadAsync(_lifetime.Token).ConfigureAwait(false);
                if (frame is not { } received)
                {
                    Break("the worker closed its pipe (EOF)");
                    return;
                }

                if (received.Type is not (MessageType.JobDone or MessageType.JobFailed or MessageType.Pong))
                {
                    Break($"protocol break: the worker sent {received.Type}, which only the host sends");
                    return;
                }

                Outstanding? outstanding;
                lock (_gate)
                {
                    outstanding = _outstanding?.Sequence == received.Sequence ? _outstanding : null;
                }

                if (outstanding is null)
                {
                    WorkerLog.ReplyDropped(_logger, received.Type, received.Sequence, Hello.WorkerId);
                    continue;
                }

                if (!IsReplyTo(received.Type, outstanding.RequestType))
                {
                    Break($"protocol break: {received.Type} #{received.Sequence} answers a {outstanding.RequestType}");
                    return;
                }

                outstanding.Reply.TrySetResult(received);
                _mailboxWaiter?.Disarm(outstanding.Reply.Task);
            }
        }
        catch (ProtocolException exception)
        {
            Break($"protocol break ({exception.Error}): {exception.Message}");
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException)
        {
            Break($"the pipe failed: {exception.Message}");
        }
    }

    private sealed class Outstanding(ulong sequence, MessageType requestType)
    {
        public ulong Sequence { get; } = sequence;

        public MessageType RequestType { get; } = requestType;

        public TaskCompletionSource<Frame> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
