using System.Buffers.Binary;

namespace SimHost.Layout.Segments;

/// <summary>
/// One decoded column-table entry exactly as stored (raw unsigned fields, nothing validated yet), and its encoding.
/// </summary>
internal readonly record struct SegmentColumnEntry(
    uint ComponentId,
    uint ElementSizeBytes,
    ulong LayoutHash,
    ulong ColumnOffset,
    ulong ColumnLengthBytes,
    ulong ChangedOffset,
    ulong ChangedLengthBytes)
{
    /// <summary>The entry a writer stores for a planned column.</summary>
    public static SegmentColumnEntry For(in SegmentColumn column) => new(
        column.ComponentId,
        (uint)column.ElementSizeBytes,
        column.LayoutHash,
        (ulong)column.ColumnOffset,
        (ulong)column.ColumnLengthBytes,
        (ulong)column.ChangedOffset,
        (ulong)column.ChangedLengthBytes);

    /// <summary>Decodes an entry from its 48 stored bytes.</summary>
    public static SegmentColumnEntry Read(ReadOnlySpan<byte> bytes)
    {
        bytes = bytes[..SegmentFormat.ColumnEntrySizeBytes];
        return new SegmentColumnEntry(
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[SegmentFormat.EntryComponentIdOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[SegmentFormat.EntryElementSizeOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[SegmentFormat.EntryLayoutHashOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[SegmentFormat.EntryColumnOffsetOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[SegmentFormat.EntryColumnLengthOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[SegmentFormat.EntryChangedOffsetOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[SegmentFormat.EntryChangedLengthOffset..]));
    }

    /// <summary>Encodes the entry into its 48 bytes.</summary>
    public void Write(Span<byte> bytes)
    {
        bytes = bytes[..SegmentFormat.ColumnEntrySizeBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[SegmentFormat.EntryComponentIdOffset..], ComponentId);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[SegmentFormat.EntryElementSizeOffset..], ElementSizeBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[SegmentFormat.EntryLayoutHashOffset..], LayoutHash);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[SegmentFormat.EntryColumnOffsetOffset..], ColumnOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[SegmentFormat.EntryColumnLengthOffset..], ColumnLengthBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[SegmentFormat.EntryChangedOffsetOffset..], ChangedOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[SegmentFormat.EntryChangedLengthOffset..], ChangedLengthBytes);
    }
}
