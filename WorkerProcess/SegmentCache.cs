using SimHost.Layout.Components;
using SimHost.Layout.Segments;

namespace SimHost.Worker;

/// <summary>
/// The segments this worker has mapped, by path: a mapping is reused while the host sends the same generation and
/// replaced when the generation changes (the file was recreated or grown).
/// </summary>
internal sealed class SegmentCache : IDisposable
{
    // A run uses a handful of segments; past this many the host has moved on and the old mappings are dead weight.
    private const int MaxMappedSegments = 64;

    private readonly Dictionary<ulong, ComponentLayout> _knownLayouts = [];
    private readonly Dictionary<string, (uint Generation, SharedSegment Segment)> _segments = new(StringComparer.Ordinal);

    /// <summary>Creates a cache that checks columns against <paramref name="knownLayouts"/>.</summary>
    public SegmentCache(IEnumerable<ComponentLayout> knownLayouts)
    {
        foreach (var layout in knownLayouts)
        {
            _knownLayouts.TryAdd(layout.Hash, layout);
        }
    }

    /// <summary>Number of segments currently mapped.</summary>
    public int Count => _segments.Count;

    /// <summary>The mapping of <paramref name="path"/> at <paramref name="generation"/>, opening it if needed.</summary>
    /// <exception cref="SegmentFormatException">The file is missing, corrupt, or a known component's column has another size.</exception>
    public SharedSegment Get(string path, uint generation)
    {
        if (_segments.TryGetValue(path, out var entry))
        {
            // A kept mapping is trusted only while its layout is as validated: a header rewritten under it without a
            // new generation is reopened, and the validator rejects it with its precise error.
            if (entry.Generation == generation && entry.Segment.IsLayoutIntact())
            {
                return entry.Segment;
            }

            entry.Segment.Dispose();
            _segments.Remove(path);
        }

        if (_segments.Count >= MaxMappedSegments)
        {
            Clear();
        }

        var segment = Open(path);
        _segments.Add(path, (generation, segment));
        return segment;
    }

    /// <summary>Unmaps every segment.</summary>
    public void Dispose() => Clear();

    private SharedSegment Open(string path)
    {
        var segment = SharedSegment.Open(path);

        // The worker does not know the host's component ids, only layouts: a column whose hash names a component
        // this worker knows must hold elements of that component's size. On a mismatch, reopen with the expectation
        // so the validator produces its usual precise error.
        var expected = new List<SegmentColumnSpec>();
        var isMismatched = false;
        foreach (var column in segment.Plan.Columns)
        {
            if (_knownLayouts.TryGetValue(column.LayoutHash, out var layout))
            {
                expected.Add(new SegmentColumnSpec(column.ComponentId, layout.Hash, layout.SizeBytes));
                isMismatched |= column.ElementSizeBytes != layout.SizeBytes;
            }
        }

        if (!isMismatched)
        {
            return segment;
        }

        segment.Dispose();
        using var checkedSegment = SharedSegment.Open(path, new SegmentExpectation([.. expected]));
        throw new SegmentFormatException(SegmentError.ElementSizeMismatch, path, "a column's element size differs from its component's layout");
    }

    private void Clear()
    {
        foreach (var entry in _segments.Values)
        {
            entry.Segment.Dispose();
        }

        _segments.Clear();
    }
}
