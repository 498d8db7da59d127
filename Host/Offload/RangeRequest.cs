using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>One range of one offloaded job, ready to run: the segment holds this frame's snapshot of its rows.</summary>
/// <param name="JobName">The job to run.</param>
/// <param name="Segment">The host's mapping of the segment (workers open the same file by <see cref="SharedSegment.Path"/>).</param>
/// <param name="SegmentGeneration">Changes whenever the segment file is recreated or grown, so workers remap it.</param>
/// <param name="Range">Rows, writable columns, frame, dt, time and parameters.</param>
public sealed record RangeRequest(string JobName, SharedSegment Segment, uint SegmentGeneration, JobRange Range)
{
    /// <summary>
    /// Whether no other range of the batch is started after this one, so the caller may wait for this one's answer on
    /// its own thread (a worker pool spins for it when a core is free) without delaying another range's start.
    /// </summary>
    public bool IsLastOfBatch { get; init; } = true;
}
