using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>One range of one offloaded job, ready to run: the segment holds this frame's snapshot of its rows.</summary>
/// <param name="JobName">The job to run.</param>
/// <param name="Segment">The host's mapping of the segment (workers open the same file by <see cref="SharedSegment.Path"/>).</param>
/// <param name="SegmentGeneration">Changes whenever the segment file is recreated or grown, so workers remap it.</param>
/// <param name="Range">Rows, writable columns, frame, dt, time and parameters.</param>
internal sealed record RangeRequest(string JobName, SharedSegment Segment, uint SegmentGeneration, JobRange Range)
{
    /// <summary>
    /// Whether nothing is started after this range on the calling thread (it is the last range of its system's batch,
    /// and the scheduler starts nothing else of the level after it), so the caller may wait for its answer on its own
    /// thread: a worker pool then spins for the reply when a core is free. False by default: a caller starting several
    /// ranges must not have the first hold up the next.
    /// </summary>
    public bool MayBlockCaller { get; init; }
}
