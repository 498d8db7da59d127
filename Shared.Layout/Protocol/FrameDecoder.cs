namespace SimHost.Layout.Protocol;

/// <summary>
/// Decodes one complete frame from untrusted bytes; any input either yields a message or throws
/// <see cref="ProtocolException"/>.
/// </summary>
internal static class FrameDecoder
{
    /// <summary>Decodes <paramref name="frame"/>, which must hold exactly one frame and nothing after it.</summary>
    /// <param name="frame">The frame bytes, header included.</param>
    /// <returns>The frame's sequence number and message.</returns>
    /// <exception cref="ProtocolException">The bytes are not exactly one valid frame; <see cref="ProtocolException.Error"/> says why.</exception>
    public static Frame Decode(ReadOnlySpan<byte> frame)
    {
        var header = FrameHeader.Read(frame);
        if (frame.Length < header.FrameSizeBytes)
        {
            throw new ProtocolException(
                ProtocolError.TruncatedFrame,
                $"{header.Type} frame length field says {header.FrameSizeBytes} bytes but only {frame.Length} are present.");
        }

        if (frame.Length > header.FrameSizeBytes)
        {
            throw new ProtocolException(
                ProtocolError.TrailingBytes,
                $"{header.Type} frame is {header.FrameSizeBytes} bytes but the input holds {frame.Length - header.FrameSizeBytes} more.");
        }

        return new Frame(header.Sequence, DecodeBody(header.Type, frame[ProtocolConstants.HeaderSizeBytes..]));
    }

    /// <summary>Decodes a body whose header <see cref="FrameHeader.Read"/> already validated.</summary>
    internal static ProtocolMessage DecodeBody(MessageType type, ReadOnlySpan<byte> body)
    {
        var reader = new BodyReader(body, type);
        switch (type)
        {
            case MessageType.Hello:
                return HelloMessage.ReadBody(ref reader);
            case MessageType.Welcome:
                return WelcomeMessage.ReadBody(ref reader);
            case MessageType.JobStart:
                return JobStartMessage.ReadBody(ref reader);
            case MessageType.JobDone:
                return JobDoneMessage.ReadBody(ref reader);
            case MessageType.JobFailed:
                return JobFailedMessage.ReadBody(ref reader);
            case MessageType.JobCatalog:
                return JobCatalogMessage.ReadBody(ref reader);
            case MessageType.Ping:
                reader.EnsureEnd();
                return PingMessage.Instance;
            case MessageType.Pong:
                reader.EnsureEnd();
                return PongMessage.Instance;
            case MessageType.Shutdown:
                reader.EnsureEnd();
                return ShutdownMessage.Instance;
            default:
                throw new ProtocolException(ProtocolError.UnknownMessageType, $"Frame message type {(ushort)type} is unknown.");
        }
    }
}
