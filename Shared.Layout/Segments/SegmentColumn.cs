namespace SimHost.Layout.Segments;

/// <summary>
/// One entry of a segment's column table: the column's identity and where its data and its changed bitset lie
/// in the file.
/// </summary>
/// <param name="ComponentId">The component's id, unique within a segment.</param>
/// <param name="LayoutHash">The hash of the component's field layout.</param>
/// <param name="ElementSizeBytes">The size of one component struct in bytes.</param>
/// <param name="ColumnOffset">The byte offset of the column data (row capacity × element size bytes).</param>
/// <param name="ColumnLengthBytes">The length of the column data in bytes.</param>
/// <param name="ChangedOffset">The byte offset of the changed bitset (one bit a row, u64 words).</param>
/// <param name="ChangedLengthBytes">The length of the changed bitset in bytes.</param>
internal readonly record struct SegmentColumn(
    uint ComponentId,
    ulong LayoutHash,
    int ElementSizeBytes,
    long ColumnOffset,
    long ColumnLengthBytes,
    long ChangedOffset,
    long ChangedLengthBytes)
{
    /// <summary>The column's identity without its placement.</summary>
    public SegmentColumnSpec Spec => new(ComponentId, LayoutHash, ElementSizeBytes);
}
