namespace SimHost.Layout.Jobs;

/// <summary>The outcome of a range that completed.</summary>
/// <param name="RowsChanged">Rows with at least one written component flagged as changed.</param>
/// <param name="Elapsed">Time spent in the job's <see cref="IJob.Execute"/>.</param>
internal readonly record struct JobRunResult(int RowsChanged, TimeSpan Elapsed);
