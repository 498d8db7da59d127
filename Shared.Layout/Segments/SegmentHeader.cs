using System.Buffers.Binary;

namespace SimHost.Layout.Segments;

/// <summary>
/// The decoded fixed header of a segment, exactly as stored (raw unsigned fields, nothing validated yet).
/// Decoding works on a bounds-checked copy of the first 128 bytes, never on the mapping.
/// </summary>
internal readonly record struct SegmentHeader(
    ulong Magic,
    uint Version,
    uint HeaderSizeBytes,
    ulong TotalSizeBytes,
    ulong CombinedLayoutHash,
    uint RowCapacity,
    uint RowCount,
    ulong FrameId,
    ulong JobSequence,
    uint ColumnCount,
    uint ColumnEntrySizeBytes,
    ulong ColumnTableOffset,
    ulong EntityColumnOffset,
    ulong EntityColumnLengthBytes,
    bool IsReservedZero)
{
    /// <summary>The header a writer stores for <paramref name="plan"/>, with row count, frame and sequence zero.</summary>
    public static SegmentHeader For(SegmentPlan plan) => new(
        SegmentFormat.Magic,
        SegmentFormat.Version,
        SegmentFormat.HeaderSizeBytes,
        (ulong)plan.TotalSizeBytes,
        plan.CombinedLayoutHash,
        (uint)plan.RowCapacity,
        RowCount: 0,
        FrameId: 0,
        JobSequence: 0,
        (uint)plan.ColumnCount,
        SegmentFormat.ColumnEntrySizeBytes,
        (ulong)plan.ColumnTableOffset,
        (ulong)plan.EntityColumnOffset,
        (ulong)plan.EntityColumnLengthBytes,
        IsReservedZero: true);

    /// <summary>Decodes the header from its 128 stored bytes.</summary>
    public static SegmentHeader Read(ReadOnlySpan<byte> bytes)
    {
        bytes = bytes[..SegmentFormat.HeaderSizeBytes];
        return new SegmentHeader(
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[SegmentFormat.MagicOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[SegmentFormat.VersionOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[SegmentFormat.HeaderSizeOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[SegmentFormat.TotalSizeOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[SegmentFormat.CombinedLayoutHashOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[SegmentFormat.RowCapacityOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[SegmentFormat.RowCountOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[SegmentFormat.FrameIdOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[SegmentFormat.JobSequenceOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[SegmentFormat.ColumnCountOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[SegmentFormat.ColumnEntrySizeOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[SegmentFormat.ColumnTableOffsetOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[SegmentFormat.EntityColumnOffsetOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[SegmentFormat.EntityColumnLengthOffset..]),
            !bytes[SegmentFormat.ReservedOffset..].ContainsAnyExcept((byte)0));
    }

    /// <summary>Encodes the header into its 128 bytes; the reserved bytes are written as zero.</summary>
    public void Write(Span<byte> bytes)
    {
        bytes = bytes[..SegmentFormat.HeaderSizeBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[SegmentFormat.MagicOffset..], Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[SegmentFormat.VersionOffset..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[SegmentFormat.HeaderSizeOffset..], HeaderSizeBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[SegmentFormat.TotalSizeOffset..], TotalSizeBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[SegmentFormat.CombinedLayoutHashOffset..], CombinedLayoutHash);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[SegmentFormat.RowCapacityOffset..], RowCapacity);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[SegmentFormat.RowCountOffset..], RowCount);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[SegmentFormat.FrameIdOffset..], FrameId);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[SegmentFormat.JobSequenceOffset..], JobSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[SegmentFormat.ColumnCountOffset..], ColumnCount);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[SegmentFormat.ColumnEntrySizeOffset..], ColumnEntrySizeBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[SegmentFormat.ColumnTableOffsetOffset..], ColumnTableOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[SegmentFormat.EntityColumnOffsetOffset..], EntityColumnOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[SegmentFormat.EntityColumnLengthOffset..], EntityColumnLengthBytes);
        bytes[SegmentFormat.ReservedOffset..].Clear();
    }
}
