using System.Buffers.Binary;

namespace SimHost.Layout.Protocol;

/// <summary>
/// The validated fixed header of a frame: how many bytes the whole frame spans, its type and sequence number.
/// </summary>
/// <param name="FrameSizeBytes">Total frame size, header included; between the header size and the maximum.</param>
/// <param name="Type">A defined message type.</param>
/// <param name="Sequence">The frame's sequence number.</param>
internal readonly record struct FrameHeader(int FrameSizeBytes, MessageType Type, ulong Sequence)
{
    /// <summary>Body bytes that follow the header.</summary>
    public int BodySizeBytes => FrameSizeBytes - ProtocolConstants.HeaderSizeBytes;

    /// <summary>
    /// Parses and validates the first <see cref="ProtocolConstants.HeaderSizeBytes"/> bytes of a frame. The length is
    /// checked first, so an oversized frame is refused before anything is read or allocated for its body.
    /// </summary>
    public static FrameHeader Read(ReadOnlySpan<byte> header)
    {
        if (header.Length < ProtocolConstants.HeaderSizeBytes)
        {
            throw new ProtocolException(
                ProtocolError.TruncatedFrame,
                $"Frame has {header.Length} bytes; the header alone is {ProtocolConstants.HeaderSizeBytes}.");
        }

        // The length field counts the bytes after itself; widen before adding so u32.MaxValue cannot wrap.
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var frameSize = (long)length + ProtocolConstants.LengthFieldBytes;
        if (frameSize > ProtocolConstants.MaxFrameBytes)
        {
            throw new ProtocolException(
                ProtocolError.FrameTooLarge,
                $"Frame length field says {frameSize} bytes; the maximum is {ProtocolConstants.MaxFrameBytes}.");
        }

        if (frameSize < ProtocolConstants.HeaderSizeBytes)
        {
            throw new ProtocolException(
                ProtocolError.InvalidLength,
                $"Frame length field says {frameSize} bytes; the header alone is {ProtocolConstants.HeaderSizeBytes}.");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version != ProtocolConstants.Version)
        {
            throw new ProtocolException(
                ProtocolError.UnsupportedVersion,
                $"Frame protocol version is {version}; this build speaks version {ProtocolConstants.Version}.");
        }

        var type = (MessageType)BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        if (!Enum.IsDefined(type))
        {
            throw new ProtocolException(ProtocolError.UnknownMessageType, $"Frame message type {(ushort)type} is unknown.");
        }

        var sequence = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        return new FrameHeader((int)frameSize, type, sequence);
    }

    /// <summary>Writes a header for a body of <paramref name="bodySizeBytes"/> bytes.</summary>
    public static void Write(Span<byte> destination, MessageType type, ulong sequence, int bodySizeBytes)
    {
        var length = (uint)(ProtocolConstants.HeaderSizeBytes - ProtocolConstants.LengthFieldBytes + bodySizeBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], ProtocolConstants.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], (ushort)type);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], sequence);
    }
}
