using SimHost.Host.Ecs;
using SimHost.Layout.Jobs;

namespace SimHost.Host.Offload;

/// <summary>
/// One offloaded system's snapshot: its segments, how many rows each holds this frame, and the runs that map segment
/// rows back to archetype rows. Reused frame after frame; it grows but never shrinks, so steady frames allocate nothing.
/// </summary>
internal sealed class Snapshot
{
    private SnapshotRun[] _runs = new SnapshotRun[8];
    private SnapshotRun[] _previousRuns = new SnapshotRun[8];
    private int _previousRunCount;
    private uint _previousGeneration;
    private bool _entitiesTrusted;
    private int[] _rowsPerSegment = [];
    private Chunk[] _chunks = new Chunk[8];

    /// <summary>Creates an empty snapshot over <paramref name="segments"/> of <paramref name="world"/>.</summary>
    public Snapshot(World world, OffloadSegments segments)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(segments);
        World = world;
        Segments = segments;
    }

    /// <summary>The copy-in of the current frame, cut into pieces for the world's threads.</summary>
    internal SnapshotCopyWork CopyWork { get; } = new();

    /// <summary>The block-wise part of the current commit, cut into pieces for the world's threads.</summary>
    internal CommitBlockWork CommitWork { get; } = new();

    /// <summary>The world the rows were copied from.</summary>
    public World World { get; }

    /// <summary>The segments the rows were copied into.</summary>
    public OffloadSegments Segments { get; }

    /// <summary>The columns of the segments.</summary>
    public SnapshotColumns Columns => Segments.Columns;

    /// <summary>The rows of the last snapshot, over all segments.</summary>
    public int RowCount { get; private set; }

    /// <summary>The frame of the last snapshot.</summary>
    public ulong FrameId { get; private set; }

    /// <summary>
    /// Whether the last snapshot's copies (in, and the commit's back) outgrow the last-level cache, so they are made
    /// with streaming stores: source and destination of every column, <see cref="LastLevelCache.IsOutgrownBy"/>.
    /// </summary>
    public bool StreamsCopies { get; private set; }

    /// <summary>The runs of the last snapshot, ordered by segment and row.</summary>
    public ReadOnlySpan<SnapshotRun> Runs => new(_runs, 0, RunCount);

    /// <summary>How many rows of each segment the last snapshot filled.</summary>
    public ReadOnlySpan<int> RowsPerSegment => new(_rowsPerSegment, 0, Segments.Segments.Length);

    private int RunCount { get; set; }

    /// <summary>
    /// Copies column bytes in (snapshot) or back (commit): with streaming stores when <paramref name="stream"/>
    /// (<see cref="StreamsCopies"/>), since the other side then reads them from memory either way and cached stores
    /// would first read every destination line.
    /// </summary>
    internal static void CopyBlock(ReadOnlySpan<byte> source, Span<byte> destination, bool stream)
    {
        if (stream)
        {
            StreamingStores.Copy(source, destination);
        }
        else
        {
            source.CopyTo(destination);
        }
    }

    internal void Begin(int rowCount, ulong frameId)
    {
        RowCount = rowCount;
        FrameId = frameId;
        var bytesPerRow = 0L;
        for (var column = 0; column < Columns.Count; column++)
        {
            bytesPerRow += Columns.ElementSizeBytes(column);
        }

        StreamsCopies = LastLevelCache.IsOutgrownBy(2 * rowCount * bytesPerRow);

        // The last frame's runs say which entity handles the segments hold; a new generation holds none.
        (_previousRuns, _runs) = (_runs, _previousRuns);
        _previousRunCount = RunCount;
        _entitiesTrusted &= _previousGeneration == Segments.Generation;
        _previousGeneration = Segments.Generation;
        RunCount = 0;
        var segmentCount = Segments.Segments.Length;
        if (_rowsPerSegment.Length < segmentCount)
        {
            _rowsPerSegment = new int[segmentCount];
        }

        var perSegment = Segments.RowCapacityPerSegment;
        for (var i = 0; i < segmentCount; i++)
        {
            _rowsPerSegment[i] = (int)Math.Clamp(rowCount - ((long)i * perSegment), 0, perSegment);
        }
    }

    /// <summary>The chunks the query yielded, gathered before the copy so the query is walked once.</summary>
    internal Span<Chunk> GatherChunks(Query query, out int rowCount)
    {
        var count = 0;
        long rows = 0;
        foreach (var chunk in query.Chunks())
        {
            if (count == _chunks.Length)
            {
                Array.Resize(ref _chunks, _chunks.Length * 2);
            }

            _chunks[count++] = chunk;
            rows += chunk.Length;
        }

        rowCount = rows <= int.MaxValue
            ? (int)rows
            : throw new InvalidOperationException($"Offloaded system '{Segments.SystemName}' matched {rows} rows; a snapshot holds at most {int.MaxValue}.");
        return _chunks.AsSpan(0, count);
    }

    internal void AddRun(in SnapshotRun run)
    {
        if (RunCount == _runs.Length)
        {
            Array.Resize(ref _runs, _runs.Length * 2);
        }

        _runs[RunCount++] = run;
    }

    /// <summary>
    /// Whether the segment rows of <paramref name="run"/> already hold its entity handles: the last frame copied the
    /// same run (same archetype rows, same structure version, same segment rows) into this generation's segments,
    /// and no range has failed since (a failing job may have scribbled over them).
    /// </summary>
    internal bool HoldsEntitiesOf(in SnapshotRun run)
    {
        var index = RunCount;
        return _entitiesTrusted && index < _previousRunCount && _previousRuns[index] == run;
    }

    /// <summary>Records that the entity handles copied this frame are in the segments, or, after a failed range, may not be.</summary>
    internal void SetEntitiesTrusted(bool trusted) => _entitiesTrusted = trusted;
}
