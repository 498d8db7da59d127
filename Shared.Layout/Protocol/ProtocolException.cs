namespace SimHost.Layout.Protocol;

/// <summary>
/// The one exception the decoder and <see cref="FrameReader"/> throw for bad input: a cause code and a one-line message.
/// </summary>
/// <remarks>A peer that sends a frame causing this exception has broken the protocol; the host kills and replaces it.</remarks>
internal sealed class ProtocolException : Exception
{
    /// <summary>Creates an exception for <paramref name="error"/> with a one-line <paramref name="message"/>.</summary>
    /// <param name="error">The cause code.</param>
    /// <param name="message">What was wrong, naming the field and the offending value.</param>
    public ProtocolException(ProtocolError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>Why the frame was rejected.</summary>
    public ProtocolError Error { get; }
}
