namespace SimHost.Layout.Protocol;

/// <summary>
/// Writes a message and its sequence number as one frame into a caller-supplied buffer, without allocating.
/// </summary>
/// <remarks>
/// Every message's caps are enforced by its constructor and the largest possible message is far below
/// <see cref="ProtocolConstants.MaxFrameBytes"/>, so encoding cannot produce a frame the decoder would refuse.
/// </remarks>
internal static class FrameEncoder
{
    /// <summary>The exact number of bytes <see cref="Encode"/> writes for <paramref name="message"/>.</summary>
    /// <param name="message">The message to measure.</param>
    /// <returns>Header plus body size in bytes.</returns>
    public static int GetFrameSize(ProtocolMessage message) => ProtocolConstants.HeaderSizeBytes + message.BodySizeBytes;

    /// <summary>Encodes <paramref name="message"/> with <paramref name="sequence"/> at the start of <paramref name="destination"/>.</summary>
    /// <param name="message">The message to send.</param>
    /// <param name="sequence">The frame's sequence number.</param>
    /// <param name="destination">The buffer; <see cref="ProtocolConstants.MaxFrameBytes"/> always suffices.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="GetFrameSize"/>.</exception>
    public static int Encode(ProtocolMessage message, ulong sequence, Span<byte> destination)
    {
        var bodySize = message.BodySizeBytes;
        var frameSize = ProtocolConstants.HeaderSizeBytes + bodySize;
        if (destination.Length < frameSize)
        {
            throw new ArgumentException(
                $"A {message.Type} frame needs {frameSize} bytes; the destination has {destination.Length}.",
                nameof(destination));
        }

        FrameHeader.Write(destination, message.Type, sequence, bodySize);
        var writer = new BodyWriter(destination.Slice(ProtocolConstants.HeaderSizeBytes, bodySize));
        message.WriteBody(ref writer);

        // A mismatch means a message's BodySizeBytes disagrees with its WriteBody: a bug here, never bad input.
        System.Diagnostics.Debug.Assert(writer.Position == bodySize, "Body size and written bytes disagree.");
        return frameSize;
    }
}
