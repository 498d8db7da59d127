using SimHost.Host.Ecs;
using SimHost.Layout.Jobs;
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

    /// <summary>How many segments this frame's rows lie in.</summary>
    int SegmentCount { get; }

    /// <summary>
    /// The whole of segment <paramref name="segmentIndex"/> this frame as a range of <paramref name="job"/>: its path,
    /// generation, rows in use and the columns the job may read live and write; <see cref="RangeSplitter"/> cuts it.
    /// </summary>
    JobRange WholeSegment(int segmentIndex, in JobRange job);

    /// <summary>The host's mapping of segment <paramref name="segmentIndex"/>, which in-process runs use.</summary>
    SharedSegment SegmentOf(int segmentIndex);

    /// <summary>
    /// Makes a failed range ready to run again from the untouched world: snapshot storage re-copies its rows, shared
    /// storage resets its scratch.
    /// </summary>
    void PrepareRetry(in JobRange range);

    /// <summary>The range as a log line names it (system or archetype, rows).</summary>
    string Describe(in JobRange range);

    /// <summary>Makes what the succeeded ranges changed current; nothing of an abandoned range is.</summary>
    /// <param name="loop">The frame's ranges: succeeded and abandoned.</param>
    /// <param name="failedFirst">Ranges that failed their first run (a failed job may have written anywhere in its segment).</param>
    CommitResult Commit(RangeRetryLoop loop, int failedFirst);
}
