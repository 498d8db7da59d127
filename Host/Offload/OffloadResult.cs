namespace SimHost.Host.Offload;

/// <summary>The figures of one offloaded system's frame.</summary>
/// <param name="RowsSnapshotted">Rows copied into the segments.</param>
/// <param name="RowsCommitted">Rows with at least one flagged component written back.</param>
/// <param name="RowsSkipped">Flagged rows not written back: the entity died or lost the component meanwhile.</param>
/// <param name="RangesRun">Ranges the rows were split into.</param>
/// <param name="RangesFailed">Ranges whose first run failed.</param>
/// <param name="RangesRetried">Re-runs of failed ranges (on a worker or in-process).</param>
/// <param name="RangesAbandoned">Ranges that failed every retry, the in-process fallback included; nothing of them was committed.</param>
public readonly record struct OffloadResult(
    int RowsSnapshotted,
    int RowsCommitted,
    int RowsSkipped,
    int RangesRun,
    int RangesFailed,
    int RangesRetried,
    int RangesAbandoned);
