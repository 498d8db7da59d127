namespace SimHost.Layout.Protocol;

/// <summary>
/// Host to worker liveness probe with an empty body; the worker answers <see cref="PongMessage"/> with the same sequence number.
/// </summary>
internal sealed record PingMessage : ProtocolMessage
{
    private PingMessage()
    {
    }

    /// <summary>The only instance; the message has no fields, so decoding never allocates one.</summary>
    public static PingMessage Instance { get; } = new();

    /// <inheritdoc/>
    public override MessageType Type => MessageType.Ping;

    internal override int BodySizeBytes => 0;

    internal override void WriteBody(ref BodyWriter writer)
    {
    }
}
