namespace SimHost.Layout.Protocol;

/// <summary>
/// Base of every message of the pipe protocol: an immutable record that knows its type and its exact body encoding.
/// </summary>
/// <remarks>
/// The hierarchy is closed (the constructor is private to this assembly), so <see cref="FrameEncoder"/> and
/// <see cref="FrameDecoder"/> cover every message there is. The sequence number is not part of the message: it lives
/// in the frame header (see <see cref="Frame"/>).
/// </remarks>
internal abstract record ProtocolMessage
{
    private protected ProtocolMessage()
    {
    }

    /// <summary>The wire type of this message.</summary>
    public abstract MessageType Type { get; }

    /// <summary>Exact number of body bytes <see cref="WriteBody"/> writes; always at most <see cref="ProtocolConstants.MaxBodyBytes"/>.</summary>
    internal abstract int BodySizeBytes { get; }

    /// <summary>Writes the body fields in wire order.</summary>
    internal abstract void WriteBody(ref BodyWriter writer);
}
