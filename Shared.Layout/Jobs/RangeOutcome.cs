namespace SimHost.Layout.Jobs;

/// <summary>How one range ended.</summary>
/// <param name="Succeeded">The job completed and its changed bits may be committed.</param>
/// <param name="RowsChanged">Rows the job flagged (0 on failure).</param>
/// <param name="Elapsed">Time the job took where it ran.</param>
/// <param name="Failure">Why it failed, one line (null on success).</param>
/// <param name="WorkerId">The worker that ran it, or null in-process.</param>
internal readonly record struct RangeOutcome(bool Succeeded, int RowsChanged, TimeSpan Elapsed, string? Failure, int? WorkerId)
{
    /// <summary>A completed range.</summary>
    public static RangeOutcome Success(int rowsChanged, TimeSpan elapsed, int? workerId) => new(true, rowsChanged, elapsed, null, workerId);

    /// <summary>A failed range; nothing of it may be committed.</summary>
    public static RangeOutcome Failed(string reason, int? workerId) => new(false, 0, TimeSpan.Zero, reason, workerId);

    /// <summary>A range that never started: no worker was there to run it (every slot down, or the pool shut down).</summary>
    public static RangeOutcome NotStarted(string reason) => new(false, 0, TimeSpan.Zero, reason, null) { WasNotStarted = true };

    /// <summary>Whether the range never started anywhere (<see cref="NotStarted"/>): it failed on no worker and not in the host.</summary>
    public bool WasNotStarted { get; init; }

    /// <summary>
    /// Whether the job took its worker down by itself (the process exited, or died of a signal other than SIGKILL: a
    /// FailFast, a stack overflow, an access violation) or ran past the job timeout: code that would crash or hang the
    /// host just the same, so the job is never run in the host after it (the host's retry loop).
    /// </summary>
    public bool CrashedOrHungItsWorker { get; init; }
}
