using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

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
    /// <param name="segment">
    /// The host's mapping of the range's segment, which holds this frame's rows: an in-process executor runs the job on
    /// it; a worker maps the same file by <see cref="JobRange.SegmentPath"/>.
    /// </param>
    /// <param name="range">The job, segment, rows, frame, time, ticks and parameters.</param>
    /// <param name="mayBlockCaller">
    /// Whether nothing is started after this range on the calling thread (it is the last range of its system's batch,
    /// and the scheduler starts nothing else of the level after it), so the executor may wait for its answer on that
    /// thread: a worker pool then spins for the reply when a core is free. False for every range but the last of a
    /// batch: a caller starting several ranges must not have the first hold up the next.
    /// </param>
    /// <param name="cancellationToken">Cancelled when the run stops.</param>
    /// <returns>Success with rows changed, or the failure's one-line reason.</returns>
    ValueTask<RangeOutcome> RunAsync(SharedSegment segment, JobRange range, bool mayBlockCaller, CancellationToken cancellationToken);

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
