namespace SimHost.Host.Offload;

/// <summary>What a commit wrote back.</summary>
/// <param name="RowsCommitted">Rows with at least one flagged component written into the world.</param>
/// <param name="RowsSkipped">Flagged rows whose entity was destroyed, or lost a flagged component, after the snapshot.</param>
internal readonly record struct CommitResult(int RowsCommitted, int RowsSkipped);
