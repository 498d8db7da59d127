using System.Runtime.InteropServices;
using SimHost.Host.Ecs;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// Snapshot storage: the system's rows are copied into its own segments each frame, the job runs on the copy, and the
/// rows a succeeded range flagged are committed back; the world does not move meanwhile, so a failed range is
/// re-copied from it.
/// </summary>
internal sealed class SnapshotStorage(Snapshot snapshot) : IOffloadStorage
{
    /// <summary>The system's snapshot.</summary>
    public Snapshot Snapshot { get; } = snapshot ?? throw new ArgumentNullException(nameof(snapshot));

    public int SegmentCount => Snapshot.RowsPerSegment.Length;

    public int Prepare(Query query, ulong frameId)
    {
        var rows = SnapshotWriter.Write(query, Snapshot, frameId);

        // A job that fails may have written anywhere in its segment, entity handles included: until every range has
        // succeeded, the next snapshot copies them again.
        Snapshot.SetEntitiesTrusted(false);
        return rows;
    }

    public JobRange WholeSegment(int segmentIndex, in JobRange job)
    {
        var segments = Snapshot.Segments;
        return job with
        {
            SegmentIndex = segmentIndex,
            SegmentPath = segments.Segments[segmentIndex].Path,
            SegmentGeneration = segments.Generation,
            RowStart = 0,
            RowCount = Snapshot.RowsPerSegment[segmentIndex],
            WritableColumns = segments.Columns.WritableColumns,
            LiveColumns = 0,
        };
    }

    public SharedSegment SegmentOf(int segmentIndex) => Snapshot.Segments.Segments[segmentIndex];

    public void PrepareRetry(in JobRange range) => SnapshotWriter.Recopy(Snapshot, range);

    public string Describe(in JobRange range) =>
        $"system {Snapshot.Segments.SystemName} range {range.SegmentIndex}:{range.RowStart}+{range.RowCount}";

    public CommitResult Commit(RangeRetryLoop loop, int failedFirst)
    {
        Snapshot.SetEntitiesTrusted(failedFirst == 0);
        return CommitWriter.Commit(Snapshot, CollectionsMarshal.AsSpan(loop.Succeeded));
    }
}
