using SimHost.Host.Ecs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// What differs between the storage modes of one offloaded system's frame, for the one <see cref="OffloadCoordinator"/>:
/// snapshot (<see cref="SnapshotStorage"/>: copy the rows in, commit the flagged rows back) or shared
/// (<c>SharedStorage.SharedColumnStorage</c>: run on the archetypes' own columns, stage into scratch, swap).
/// </summary>
internal interface IOffloadStorage
{
    /// <summary>Makes this frame's rows ready for the job; returns the rows the job runs over.</summary>
    int Prepare(Query query, ulong frameId);

    /// <summary>Rows of each segment this frame, in segment order, for <see cref="RangeSplitter"/>.</summary>
    ReadOnlySpan<int> RowsPerSegment { get; }

    /// <summary>The segment a range of segment <paramref name="segmentIndex"/> runs in, and the columns it may read live and write.</summary>
    SegmentTarget TargetOf(int segmentIndex);

    /// <summary>
    /// Makes a failed range ready to run again from the untouched world: snapshot storage re-copies its rows, shared
    /// storage resets its scratch.
    /// </summary>
    void PrepareRetry(in RangeSlice range);

    /// <summary>The range as a log line names it (system or archetype, rows).</summary>
    string Describe(in RangeSlice range);

    /// <summary>Makes what the succeeded ranges changed current; nothing of an abandoned range is.</summary>
    /// <param name="loop">The frame's ranges: succeeded and abandoned.</param>
    /// <param name="failedFirst">Ranges that failed their first run (a failed job may have written anywhere in its segment).</param>
    CommitResult Commit(RangeRetryLoop loop, int failedFirst);
}

/// <summary>Where one segment's ranges run.</summary>
/// <param name="Segment">The host's mapping of the segment (workers open the same file by its path).</param>
/// <param name="Generation">Changes whenever the segment file is recreated or grown, so workers remap it.</param>
/// <param name="WritableColumns">Bit i set: segment column i may be written (and will be committed).</param>
/// <param name="LiveColumns">Bit i set: column i holds current values (shared storage); 0 in snapshot storage.</param>
internal readonly record struct SegmentTarget(SharedSegment Segment, uint Generation, ulong WritableColumns, ulong LiveColumns);
