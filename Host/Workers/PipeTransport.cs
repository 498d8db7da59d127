using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>Requests written to the worker's pipe; replies arrive through the connection's receive loop.</summary>
internal sealed class PipeTransport(FrameWriter writer) : IRequestTransport, IDisposable
{
    public ValueTask SendAsync(ProtocolMessage message, OutstandingRequest request, TimeSpan replySpin, CancellationToken cancellationToken) =>
        writer.WriteAsync(message, request.Sequence, cancellationToken);

    /// <summary>Writes a message that has no reply (Shutdown).</summary>
    public ValueTask SendAsync(ProtocolMessage message, ulong sequence, CancellationToken cancellationToken) =>
        writer.WriteAsync(message, sequence, cancellationToken);

    public void Disarm(Task reply)
    {
        // The receive loop waits for every pipe reply anyway.
    }

    public void Dispose() => writer.Dispose();
}
