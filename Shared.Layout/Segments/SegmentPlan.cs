namespace SimHost.Layout.Segments;

/// <summary>
/// The complete placement of one segment: row capacity, column table, entity column, every component column and
/// changed bitset, and the total file size. Built by <see cref="SegmentLayoutPlanner"/> for writers and rebuilt from
/// a validated file for readers, so both sides address the file through the same numbers.
/// </summary>
internal sealed class SegmentPlan
{
    private readonly SegmentColumn[] _columns;
    private readonly IReadOnlyList<SegmentColumn> _readOnlyColumns;

    internal SegmentPlan(
        int rowCapacity,
        SegmentColumn[] columns,
        long columnTableOffset,
        long entityColumnOffset,
        long totalSizeBytes,
        ulong combinedLayoutHash)
    {
        RowCapacity = rowCapacity;
        _columns = columns;
        // A wrapper, not the array: a validated plan must not be editable through a cast.
        _readOnlyColumns = Array.AsReadOnly(columns);
        ColumnTableOffset = columnTableOffset;
        EntityColumnOffset = entityColumnOffset;
        TotalSizeBytes = totalSizeBytes;
        CombinedLayoutHash = combinedLayoutHash;
    }

    /// <summary>The number of rows every column has room for.</summary>
    public int RowCapacity { get; }

    /// <summary>The number of u64 words in each changed bitset: <c>ceil(RowCapacity / 64)</c>.</summary>
    public int ChangedWordCount => SegmentFormat.ChangedWordCount(RowCapacity);

    /// <summary>The column table entries, in table order.</summary>
    public IReadOnlyList<SegmentColumn> Columns => _readOnlyColumns;

    /// <summary>The number of component columns.</summary>
    public int ColumnCount => _columns.Length;

    /// <summary>The byte offset of the column table.</summary>
    public long ColumnTableOffset { get; }

    /// <summary>The byte offset of the entity column.</summary>
    public long EntityColumnOffset { get; }

    /// <summary>The length of the entity column in bytes: row capacity × 8.</summary>
    public long EntityColumnLengthBytes => (long)RowCapacity * SegmentFormat.EntityHandleSizeBytes;

    /// <summary>The size of the whole file in bytes.</summary>
    public long TotalSizeBytes { get; }

    /// <summary>The hash over every column's component id, element size and layout hash, in table order.</summary>
    public ulong CombinedLayoutHash { get; }

    /// <summary>The column at <paramref name="columnIndex"/>, without the interface dispatch of <see cref="Columns"/>.</summary>
    internal ref readonly SegmentColumn Column(int columnIndex) => ref _columns[columnIndex];
}
