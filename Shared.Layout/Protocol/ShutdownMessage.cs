namespace SimHost.Layout.Protocol;

/// <summary>
/// Host to worker request to finish and exit, with an empty body; the worker sends no answer and closes the pipe.
/// </summary>
internal sealed record ShutdownMessage : ProtocolMessage
{
    private ShutdownMessage()
    {
    }

    /// <summary>The only instance; the message has no fields, so decoding never allocates one.</summary>
    public static ShutdownMessage Instance { get; } = new();

    /// <inheritdoc/>
    public override MessageType Type => MessageType.Shutdown;

    internal override int BodySizeBytes => 0;

    internal override void WriteBody(ref BodyWriter writer)
    {
    }
}
