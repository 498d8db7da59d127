namespace SimHost.Layout.Segments;

/// <summary>
/// The columns a reader requires of a segment: for each component id, the layout hash and element size it was
/// compiled against. A segment may hold more columns than expected, never fewer or different ones.
/// </summary>
internal sealed class SegmentExpectation
{
    private readonly SegmentColumnSpec[] _columns;

    /// <summary>Creates an expectation for <paramref name="columns"/>.</summary>
    /// <param name="columns">The required columns; component ids must be unique.</param>
    /// <exception cref="ArgumentException">Two specs share a component id.</exception>
    public SegmentExpectation(params ReadOnlySpan<SegmentColumnSpec> columns)
    {
        for (int i = 0; i < columns.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (columns[j].ComponentId == columns[i].ComponentId)
                {
                    throw new ArgumentException($"Component {columns[i].ComponentId} is expected twice.", nameof(columns));
                }
            }
        }

        _columns = columns.ToArray();
    }

    /// <summary>The required columns.</summary>
    public IReadOnlyList<SegmentColumnSpec> Columns => _columns;
}
