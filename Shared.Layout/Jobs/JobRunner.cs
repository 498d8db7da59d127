using System.Diagnostics;
using SimHost.Layout.Segments;

namespace SimHost.Layout.Jobs;

/// <summary>Runs one job over one range of a segment, the same way in the host and in a worker.</summary>
public static class JobRunner
{
    /// <summary>
    /// Runs <paramref name="job"/> over <paramref name="range"/>, <see cref="JobRange.Ticks"/> times back to back. The
    /// changed bits of the writable columns are the host's business: it clears them when it snapshots, so whatever
    /// the job sets in any tick is what it changed (the bits of all ticks OR-ed together).
    /// </summary>
    /// <returns>Rows with a written component flagged, and the time the job took over all ticks.</returns>
    /// <exception cref="Exception">Whatever the job throws propagates; the caller reports it as a failed range.</exception>
    public static JobRunResult Run(IJob job, SharedSegment segment, in JobRange range)
    {
        var context = new JobContext(segment, range);
        var started = Stopwatch.GetTimestamp();
        for (var tick = 0; tick < range.Ticks; tick++)
        {
            context.BeginTick(tick);
            job.Execute(context);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return new JobRunResult(context.CountChangedRows(), elapsed);
    }
}
