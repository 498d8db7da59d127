namespace SimHost.Layout.Protocol;

/// <summary>
/// Worker to host answer to <see cref="PingMessage"/>, with an empty body and the ping's sequence number.
/// </summary>
internal sealed record PongMessage : ProtocolMessage
{
    private PongMessage()
    {
    }

    /// <summary>The only instance; the message has no fields, so decoding never allocates one.</summary>
    public static PongMessage Instance { get; } = new();

    /// <inheritdoc/>
    public override MessageType Type => MessageType.Pong;

    internal override int BodySizeBytes => 0;

    internal override void WriteBody(ref BodyWriter writer)
    {
    }
}
