using System.Buffers.Binary;

namespace SimHost.Tests.SharedLayout.Segments;

/// <summary>Patches little-endian fields of a segment file in place, the way a corruption would.</summary>
internal static class SegmentFileEditor
{
    /// <summary>The file offset of column-table entry <paramref name="columnIndex"/>'s field at <paramref name="fieldOffset"/>.</summary>
    public static long EntryField(int columnIndex, int fieldOffset) => 128 + (columnIndex * 48) + fieldOffset;

    public static void WriteUInt32(string path, long offset, uint value)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        WriteUInt32(stream, offset, value);
    }

    public static void WriteUInt64(string path, long offset, ulong value)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        stream.Position = offset;
        stream.Write(bytes);
    }

    public static void WriteUInt32(FileStream stream, long offset, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        stream.Position = offset;
        stream.Write(bytes);
    }

    public static ulong ReadUInt64(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Span<byte> bytes = stackalloc byte[8];
        stream.Position = offset;
        stream.ReadExactly(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    public static void SetLength(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        stream.SetLength(length);
    }
}
