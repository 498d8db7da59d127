namespace SimHost.Layout.Segments;

/// <summary>
/// Computes where everything lies in a segment from its column specs and row capacity: header, column table, entity
/// column, then each component column followed by its changed bitset, every region on a 64-byte boundary.
/// </summary>
internal static class SegmentLayoutPlanner
{
    /// <summary>Plans a segment for <paramref name="columns"/> with room for <paramref name="rowCapacity"/> rows.</summary>
    /// <param name="columns">The component columns in table order; component ids must be unique.</param>
    /// <param name="rowCapacity">The number of rows every column has room for.</param>
    /// <returns>The plan with every offset and the total size.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count or size is outside the format's limits.</exception>
    /// <exception cref="ArgumentException">Two columns share a component id.</exception>
    public static SegmentPlan Plan(ReadOnlySpan<SegmentColumnSpec> columns, int rowCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCapacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rowCapacity, SegmentFormat.MaxRowCapacity);
        if (columns.Length > SegmentFormat.MaxColumns)
        {
            throw new ArgumentOutOfRangeException(
                nameof(columns), columns.Length, $"A segment holds at most {SegmentFormat.MaxColumns} columns.");
        }

        var placed = new SegmentColumn[columns.Length];
        long columnTableOffset = SegmentFormat.HeaderSizeBytes;
        long entityColumnOffset = SegmentFormat.AlignUp(columnTableOffset + ((long)columns.Length * SegmentFormat.ColumnEntrySizeBytes));
        long changedLength = (long)SegmentFormat.ChangedWordCount(rowCapacity) * sizeof(ulong);
        long next = SegmentFormat.AlignUp(entityColumnOffset + ((long)rowCapacity * SegmentFormat.EntityHandleSizeBytes));

        for (int i = 0; i < columns.Length; i++)
        {
            var spec = columns[i];
            ValidateSpec(spec, rowCapacity);
            for (int j = 0; j < i; j++)
            {
                if (columns[j].ComponentId == spec.ComponentId)
                {
                    throw new ArgumentException($"Component {spec.ComponentId} appears in two columns.", nameof(columns));
                }
            }

            long columnLength = (long)rowCapacity * spec.ElementSizeBytes;
            long columnOffset = next;
            long changedOffset = SegmentFormat.AlignUp(columnOffset + columnLength);
            next = SegmentFormat.AlignUp(changedOffset + changedLength);
            placed[i] = new SegmentColumn(
                spec.ComponentId, spec.LayoutHash, spec.ElementSizeBytes, columnOffset, columnLength, changedOffset, changedLength);
        }

        return new SegmentPlan(rowCapacity, placed, columnTableOffset, entityColumnOffset, next, SegmentCodec.CombineLayoutHashes(placed));
    }

    /// <summary>The file size a segment for <paramref name="columns"/> and <paramref name="rowCapacity"/> rows needs.</summary>
    /// <param name="columns">The component columns.</param>
    /// <param name="rowCapacity">The number of rows.</param>
    /// <returns>The total size in bytes, a multiple of 64.</returns>
    public static long RequiredBytes(ReadOnlySpan<SegmentColumnSpec> columns, int rowCapacity) =>
        Plan(columns, rowCapacity).TotalSizeBytes;

    private static void ValidateSpec(SegmentColumnSpec spec, int rowCapacity)
    {
        if (spec.ElementSizeBytes is <= 0 or > SegmentFormat.MaxElementSizeBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(spec),
                spec.ElementSizeBytes,
                $"Component {spec.ComponentId}: element size must be 1..{SegmentFormat.MaxElementSizeBytes} bytes.");
        }

        // A column is handed out as one Span<byte>, so it must stay below 2 GiB.
        if ((long)rowCapacity * spec.ElementSizeBytes > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rowCapacity),
                rowCapacity,
                $"Component {spec.ComponentId}: {rowCapacity} rows of {spec.ElementSizeBytes} bytes exceed 2 GiB per column.");
        }
    }
}
