namespace SimHost.Layout.Protocol;

/// <summary>
/// One decoded frame: the sequence number from its header and the message from its body.
/// </summary>
/// <param name="Sequence">The frame's sequence number (see docs/protocol.md for who assigns it).</param>
/// <param name="Message">The decoded message.</param>
internal readonly record struct Frame(ulong Sequence, ProtocolMessage Message)
{
    /// <summary>The message's wire type.</summary>
    public MessageType Type => Message.Type;
}
