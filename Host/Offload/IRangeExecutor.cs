namespace SimHost.Host.Offload;

/// <summary>
/// Runs job ranges: in-process (<c>--workers 0</c>) or on a pool of worker processes. An executor never throws for a
/// failed range; it reports the failure in the outcome, and the caller (which owns the world) decides what to re-run.
/// </summary>
internal interface IRangeExecutor
{
    /// <summary>How many ranges a job should be split into right now (live workers; 1 in-process).</summary>
    int ParallelSlots { get; }

    /// <summary>Runs one range; several calls may be in flight at once (one per slot, queued beyond that).</summary>
    /// <param name="request">The job, its snapshotted segment and the range.</param>
    /// <param name="cancellationToken">Cancelled when the run stops.</param>
    /// <returns>Success with rows changed, or the failure's one-line reason.</returns>
    ValueTask<RangeOutcome> RunAsync(RangeRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Checks that every job in <paramref name="jobNames"/> can run wherever this executor runs ranges, and keeps
    /// requiring them of workers started later. Called once by <c>SimulationBuilder.Build</c>; the default does
    /// nothing (an in-process executor runs the host's own catalog, which the builder checks).
    /// </summary>
    /// <param name="jobNames">The jobs the simulation offloads.</param>
    /// <exception cref="JobUnavailableException">A job cannot run; the message names the job, the worker, why and the fix.</exception>
    void EnsureJobsAvailable(IReadOnlyCollection<string> jobNames)
    {
    }
}
