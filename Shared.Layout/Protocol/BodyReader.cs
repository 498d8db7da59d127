using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using CommunityToolkit.HighPerformance.Buffers;

namespace SimHost.Layout.Protocol;

/// <summary>
/// Reads little-endian fields from an untrusted message body, turning every out-of-bounds or malformed field into a
/// <see cref="ProtocolException"/>.
/// </summary>
/// <remarks>
/// Every length is checked against its cap and against the bytes left before anything is allocated from it, so a
/// hostile length can cost at most one cap-sized allocation.
/// </remarks>
internal ref struct BodyReader
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly MessageType _type;
    private int _position;

    public BodyReader(ReadOnlySpan<byte> body, MessageType type)
    {
        _body = body;
        _type = type;
        _position = 0;
    }

    private readonly int Remaining => _body.Length - _position;

    public byte ReadByte(string field)
    {
        var slice = Take(sizeof(byte), field);
        return slice[0];
    }

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(sizeof(ushort), field));

    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(sizeof(uint), field));

    public int ReadInt32(string field) => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int), field));

    public ulong ReadUInt64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(Take(sizeof(ulong), field));

    public double ReadDouble(string field) => BinaryPrimitives.ReadDoubleLittleEndian(Take(sizeof(double), field));

    /// <summary>Reads exactly <paramref name="length"/> raw bytes of a fixed-size field.</summary>
    public ReadOnlySpan<byte> ReadFixed(int length, string field) => Take(length, field);

    /// <summary>Reads a u16 byte length and that many bytes of valid UTF-8, at most <paramref name="maxBytes"/>.</summary>
    public string ReadString(int maxBytes, string field) => Encoding.UTF8.GetString(ReadUtf8(maxBytes, field));

    /// <summary>
    /// Like <see cref="ReadString"/>, but returns the one shared instance of that text from
    /// <see cref="StringPool.Shared"/>: for fields that repeat message after message (a job name, a segment path), so
    /// decoding a JobStart allocates no string once its values have been seen.
    /// </summary>
    public string ReadPooledString(int maxBytes, string field) => StringPool.Shared.GetOrAdd(ReadUtf8(maxBytes, field), Encoding.UTF8);

    /// <summary>Reads a u32 byte length and that many bytes, at most <paramref name="maxBytes"/>.</summary>
    public ImmutableArray<byte> ReadBlob(int maxBytes, string field)
    {
        var length = ReadUInt32(field);
        var bytes = TakeVariable(length, maxBytes, field);

        // The fresh array is owned by nobody else, so wrapping it without a copy keeps the blob immutable.
        return ImmutableCollectionsMarshal.AsImmutableArray(bytes.ToArray());
    }

    /// <summary>Checks a u16 element count against its cap and against the bytes left for its elements.</summary>
    public int ReadCount(int maxCount, int elementBytes, string field)
    {
        int count = ReadUInt16(field);
        if (count > maxCount)
        {
            throw new ProtocolException(
                ProtocolError.LimitExceeded, $"{_type}.{field} count {count} is above the cap of {maxCount}.");
        }

        if ((long)count * elementBytes > Remaining)
        {
            throw new ProtocolException(
                ProtocolError.LengthPastBodyEnd,
                $"{_type}.{field} count {count} needs {(long)count * elementBytes} bytes but the body has {Remaining} left.");
        }

        return count;
    }

    /// <summary>Rejects bytes left after the last field, so a frame has exactly one valid encoding.</summary>
    public readonly void EnsureEnd()
    {
        if (Remaining != 0)
        {
            throw new ProtocolException(
                ProtocolError.TrailingBytes, $"{_type} body has {Remaining} bytes after its last field.");
        }
    }

    /// <summary>Rejects a decoded field value its message does not allow.</summary>
    public static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ProtocolException(ProtocolError.InvalidFieldValue, message);
        }
    }

    private ReadOnlySpan<byte> Take(int length, string field)
    {
        if (length > Remaining)
        {
            throw new ProtocolException(
                ProtocolError.BodyTooShort,
                $"{_type} body ends at byte {_body.Length} before field {field} ({length} bytes at offset {_position}).");
        }

        var slice = _body.Slice(_position, length);
        _position += length;
        return slice;
    }

    private ReadOnlySpan<byte> TakeVariable(long length, int maxBytes, string field)
    {
        if (length > maxBytes)
        {
            throw new ProtocolException(
                ProtocolError.LimitExceeded, $"{_type}.{field} length {length} is above the cap of {maxBytes} bytes.");
        }

        if (length > Remaining)
        {
            throw new ProtocolException(
                ProtocolError.LengthPastBodyEnd,
                $"{_type}.{field} length {length} points past the body end ({Remaining} bytes left).");
        }

        var slice = _body.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    private ReadOnlySpan<byte> ReadUtf8(int maxBytes, string field)
    {
        int length = ReadUInt16(field);
        var bytes = TakeVariable(length, maxBytes, field);
        if (!Utf8.IsValid(bytes))
        {
            throw new ProtocolException(ProtocolError.InvalidUtf8, $"{_type}.{field} is not valid UTF-8.");
        }

        return bytes;
    }
}
