using System.Buffers.Binary;
using System.Text;

namespace SimHost.Layout.Protocol;

/// <summary>
/// Writes little-endian fields into a message body whose exact size was computed beforehand.
/// </summary>
/// <remarks>
/// The destination is sized from <see cref="ProtocolMessage.BodySizeBytes"/>, so an overrun is an encoder bug and
/// surfaces as the span's own bounds check.
/// </remarks>
internal ref struct BodyWriter
{
    private readonly Span<byte> _body;
    private int _position;

    public BodyWriter(Span<byte> body)
    {
        _body = body;
        _position = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    public void WriteByte(byte value) => _body[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_body[_position..], value);
        _position += sizeof(ushort);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_body[_position..], value);
        _position += sizeof(uint);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_body[_position..], value);
        _position += sizeof(int);
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_body[_position..], value);
        _position += sizeof(ulong);
    }

    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_body[_position..], value);
        _position += sizeof(double);
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        value.CopyTo(_body[_position..]);
        _position += value.Length;
    }

    public void WriteAuthToken(AuthToken token)
    {
        token.CopyTo(_body.Slice(_position, AuthToken.SizeBytes));
        _position += AuthToken.SizeBytes;
    }

    /// <summary>Writes a u16 UTF-8 byte length and the bytes; the message constructor already checked the cap.</summary>
    public void WriteString(string value)
    {
        var byteCount = Encoding.UTF8.GetBytes(value, _body[(_position + sizeof(ushort))..]);
        WriteUInt16((ushort)byteCount);
        _position += byteCount;
    }

    /// <summary>Writes a u32 byte length and the blob.</summary>
    public void WriteBlob(scoped ReadOnlySpan<byte> value)
    {
        WriteUInt32((uint)value.Length);
        WriteBytes(value);
    }
}
