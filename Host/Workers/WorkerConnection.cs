using System.IO.Pipes;
using Microsoft.Extensions.Logging;
using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>
/// The host's end of one worker after a successful handshake (<see cref="WorkerListener"/>): one request outstanding
/// at a time, sent through an <see cref="IRequestTransport"/>, replies matched by sequence number.
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
    private readonly PipeTransport _pipeTransport;
    private readonly MailboxTransport? _mailboxTransport;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiveLoop;
    private OutstandingRequest? _outstanding;
    private string? _brokenReason;

    // The last request the host stopped waiting for (cancelled at shutdown, timed out): its reply may still come. Only
    // the last: the host gives up on a request only as the worker is killed or the pool stops, so no earlier one's
    // reply can follow a later request's.
    private ulong? _abandonedSequence;

    /// <summary>Wraps an accepted pipe; with <paramref name="mailbox"/>, JobStart travels through it (the connection owns it).</summary>
    internal WorkerConnection(
        NamedPipeServerStream pipe, FrameReader reader, FrameWriter writer, HelloMessage hello, JobCatalogMessage catalog, MailboxChannel? mailbox, ILogger logger)
    {
        _pipe = pipe;
        _reader = reader;
        _pipeTransport = new PipeTransport(writer);
        Hello = hello;
        Catalog = catalog;
        _logger = logger;
        _mailboxTransport = mailbox is null ? null : new MailboxTransport(this, mailbox, _lifetime.Token);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Whether JobStart goes through the shared-memory mailbox rather than the pipe.</summary>
    public bool UsesMailbox => _mailboxTransport is not null;

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

    /// <summary>Whether a request is registered and not yet finished.</summary>
    internal bool HasOutstanding => Volatile.Read(ref _outstanding) is not null;

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
        var outstanding = new OutstandingRequest(sequence, message.Type);
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

        IRequestTransport transport = _mailboxTransport is not null && message.Type == MessageType.JobStart ? _mailboxTransport : _pipeTransport;
        try
        {
            await SendThroughAsync(transport, message, outstanding, replySpin, cancellationToken).ConfigureAwait(false);
            return await outstanding.Reply.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Disarm first: DisposeAsync unmaps the mailbox once no request is outstanding.
            transport.Disarm(outstanding.Reply.Task);
            lock (_gate)
            {
                if (ReferenceEquals(_outstanding, outstanding))
                {
                    _outstanding = null;
                    if (!outstanding.Reply.Task.IsCompletedSuccessfully)
                    {
                        _abandonedSequence = outstanding.Sequence;
                    }
                }
            }
        }
    }

    /// <summary>Sends a message that has no reply (Shutdown).</summary>
    /// <exception cref="WorkerBrokenException">The pipe is gone.</exception>
    public Task SendAsync(ProtocolMessage message, ulong sequence, CancellationToken cancellationToken) =>
        SendThroughAsync(_pipeTransport, message, new OutstandingRequest(sequence, message.Type), TimeSpan.Zero, cancellationToken);

    /// <summary>Marks the connection broken for <paramref name="reason"/>; the first reason wins.</summary>
    public void Break(string reason)
    {
        OutstandingRequest? outstanding;
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
            _mailboxTransport?.Disarm(outstanding.Reply.Task);
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
        _pipeTransport.Dispose();
        _lifetime.Dispose();
        if (_mailboxTransport is not null)
        {
            await _mailboxTransport.DisposeAsync().ConfigureAwait(false);
        }
    }

    private bool WasAbandoned(ulong sequence)
    {
        lock (_gate)
        {
            return _abandonedSequence == sequence;
        }
    }

    /// <summary>The outstanding request when its sequence number is <paramref name="sequence"/>, else null.</summary>
    internal OutstandingRequest? FindOutstanding(ulong sequence)
    {
        lock (_gate)
        {
            return _outstanding?.Sequence == sequence ? _outstanding : null;
        }
    }

    private async Task SendThroughAsync(IRequestTransport transport, ProtocolMessage message, OutstandingRequest request, TimeSpan replySpin, CancellationToken cancellationToken)
    {
        try
        {
            await transport.SendAsync(message, request, replySpin, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or ObjectDisposedException)
        {
            Break($"the pipe failed while sending {message.Type} #{request.Sequence}: {exception.Message}");
            throw new WorkerBrokenException(BrokenReason!);
        }
    }

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

                var outstanding = FindOutstanding(received.Sequence);
                if (outstanding is null)
                {
                    // A late answer to a request the host gave up on (a Ping cancelled as the pool shut down) is
                    // expected; any other reply names a request never sent, which an operator should hear of.
                    if (WasAbandoned(received.Sequence))
                    {
                        WorkerLog.LateReplyDropped(_logger, received.Type, received.Sequence, Hello.WorkerId);
                    }
                    else
                    {
                        WorkerLog.ReplyDropped(_logger, received.Type, received.Sequence, Hello.WorkerId);
                    }

                    continue;
                }

                if (!outstanding.IsAnsweredBy(received.Type))
                {
                    Break($"protocol break: {received.Type} #{received.Sequence} answers a {outstanding.RequestType}");
                    return;
                }

                outstanding.Reply.TrySetResult(received);
                _mailboxTransport?.Disarm(outstanding.Reply.Task);
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
}
