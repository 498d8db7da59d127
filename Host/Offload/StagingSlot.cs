using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// What one thread of a staged in-process pass works with (<see cref="StagedInProcessPass"/>): a small segment the
/// piece's rows are copied into and the job runs on, and the job instance it runs, its own as each worker's is.
/// </summary>
internal sealed class StagingSlot(OffloadSegments segments, IJob job) : IDisposable
{
    /// <summary>The job instance this slot runs.</summary>
    public IJob Job { get; } = job;

    /// <summary>The job's view of each piece, rebound piece after piece, so pieces allocate nothing.</summary>
    public JobContext Context { get; } = new();

    /// <summary>The staging segment.</summary>
    public SharedSegment Segment => segments.Segments[0];

    /// <summary>The staging segment's generation.</summary>
    public uint Generation => segments.Generation;

    /// <summary>Makes sure the staging segment holds <paramref name="rows"/> rows (at most one segment's worth).</summary>
    public void EnsureRows(int rows) => segments.EnsureCapacity(rows);

    /// <summary>Deletes the staging segment.</summary>
    public void Dispose() => segments.Dispose();
}
