using System.IO.Pipes;
using Serilog;
using SimHost.Layout.Protocol;

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
    private Outstanding? _outstanding;
    private string? _brokenReason;

    private WorkerConnection(NamedPipeServerStream pipe, FrameReader reader, FrameWriter writer, HelloMessage hello, ILogger logger)
    {
        _pipe = pipe;
        _reader = reader;
        _writer = writer;
        Hello = hello;
        _logger = logger;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>The worker's accepted Hello.</summary>
    public HelloMessage Hello { get; }

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
    /// Listens on <paramref name="pipePath"/> until a peer sends an acceptable Hello, then answers Welcome. A peer
    /// without the token is dropped and listening goes on; our own worker with a wrong id, pid, version or layouts
    /// ends the attempt.
    /// </summary>
    /// <exception cref="WorkerStartException">Our worker was refused.</exception>
    /// <exception cref="OperationCanceledException">The token fired (timeout, worker exit or shutdown).</exception>
    public static async Task<WorkerConnection> AcceptAsync(
        string pipePath, WorkerHandshake handshake, WelcomeMessage welcome, ILogger logger, CancellationToken cancellationToken)
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

                if (refusal is null)
                {
                    var writer = new FrameWriter(server);
                    await writer.WriteAsync(welcome, 0, cancellationToken).ConfigureAwait(false);
                    var connection = new WorkerConnection(server, reader, writer, (HelloMessage)first!.Value.Message, logger);
                    server = null;
                    return connection;
                }

                if (!refusal.Value.IsStranger)
                {
                    logger.Error("Worker {WorkerId} refused at handshake: {Reason}", handshake.WorkerId, refusal.Value.Reason);
                    throw new WorkerStartException($"Worker {handshake.WorkerId} refused at handshake: {refusal.Value.Reason}.");
                }

                logger.Warning("Refused a connection on worker {WorkerId}'s pipe: {Reason}", handshake.WorkerId, refusal.Value.Reason);

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

    /// <summary>Sends <paramref name="message"/> as the one outstanding request and waits for its reply.</summary>
    /// <exception cref="WorkerBrokenException">The connection broke before or while waiting.</exception>
    /// <exception cref="TimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">The token fired.</exception>
    public async Task<Frame> RequestAsync(ProtocolMessage message, ulong sequence, TimeSpan timeout, CancellationToken cancellationToken)
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
            await SendAsync(message, sequence, cancellationToken).ConfigureAwait(false);
            return await outstanding.Reply.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
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
        _lifetime.Cancel();
        _closed.TrySetResult();
    }

    /// <summary>Breaks the connection (if still open), stops the receive loop and closes the pipe.</summary>
    public async ValueTask DisposeAsync()
    {
        Break("the connection was closed by the host");
        await _pipe.DisposeAsync().ConfigureAwait(false);
        await _receiveLoop.ConfigureAwait(false);
        _writer.Dispose();
        _lifetime.Dispose();
    }

    private static NamedPipeServerStream CreateServer(string pipePath) => new(
        pipePath,
        PipeDirection.InOut,
        maxNumberOfServerInstances: 2,
        PipeTransmissionMode.Byte,
        PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);

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
                    _logger.Warning(
                        "Dropped {MessageType} #{Sequence} from worker {WorkerId}: no such request is outstanding",
                        received.Type, received.Sequence, Hello.WorkerId);
                    continue;
                }

                if (!IsReplyTo(received.Type, outstanding.RequestType))
                {
                    Break($"protocol break: {received.Type} #{received.Sequence} answers a {outstanding.RequestType}");
                    return;
                }

                outstanding.Reply.TrySetResult(received);
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
