using Serilog;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;
using SimHost.Layout.Segments;

namespace SimHost.Worker;

/// <summary>
/// Runs one JobStart and turns its outcome into the reply: JobDone on success, JobFailed for an unknown job, a
/// segment that cannot be mapped, or a job that throws. A failing job never takes the worker down.
/// </summary>
internal sealed class JobExecutor(JobCatalog catalog, SegmentCache segments, ILogger logger)
{
    /// <summary>
    /// How a JobFailed's text begins when the segment was rejected (tampered header, wrong version, layout or sizes),
    /// for the reader of a log; the host decides by <see cref="JobFailureReason.SegmentRejected"/>, not by this text.
    /// </summary>
    public const string SegmentRejectedPrefix = "Segment cannot be used:";

    // The pipe loop and the mailbox loop may both call Execute; the segment cache is not thread-safe. The host
    // keeps one request outstanding, so the lock is never contended in a correct run.
    private readonly Lock _gate = new();

    /// <summary>Runs the job the message names and builds the reply.</summary>
    public ProtocolMessage Execute(JobStartMessage start)
    {
        lock (_gate)
        {
            return ExecuteExclusive(start);
        }
    }

    private ProtocolMessage ExecuteExclusive(JobStartMessage start)
    {
        if (!catalog.TryGet(start.JobName, out var job))
        {
            return Fail(start, JobFailureReason.UnknownJob, $"Unknown job '{start.JobName}'; this worker knows: {string.Join(", ", catalog.Names)}.");
        }

        if (start.RowStart > int.MaxValue || start.RowCount > int.MaxValue)
        {
            return Fail(start, JobFailureReason.RowRangeTooLarge, $"Row range {start.RowStart}+{start.RowCount} is beyond the largest segment a worker maps.");
        }

        SharedSegment segment;
        try
        {
            segment = segments.Get(start.SegmentPath, start.SegmentGeneration);
        }
        catch (SegmentFormatException exception)
        {
            return Fail(start, JobFailureReason.SegmentRejected, $"{SegmentRejectedPrefix} {exception.Message}");
        }

        var range = new JobRange(
            (int)start.RowStart, (int)start.RowCount, start.WritableColumns, start.FrameId, start.DeltaTime, start.Time, start.Parameters.AsMemory(), (int)Math.Min(start.Ticks, int.MaxValue), start.LiveColumns);
        JobRunResult result;
        try
        {
            result = JobRunner.Run(job, segment, range);
        }
#pragma warning disable CA1031 // Whatever a user's job throws is reported to the host as a failed range, not a crash.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            logger.Error(exception, "Job {JobName} rows {RowStart}+{RowCount} threw", start.JobName, start.RowStart, start.RowCount);
            return new JobFailedMessage($"{exception.GetType().FullName}: {exception.Message}", JobFailureReason.JobThrew);
        }

        logger.Verbose(
            "Job {JobName} rows {RowStart}+{RowCount} changed {RowsChanged} rows in {Elapsed}",
            start.JobName, start.RowStart, start.RowCount, result.RowsChanged, result.Elapsed);
        return new JobDoneMessage(start.RowStart, start.RowCount, (uint)result.RowsChanged, result.Elapsed);
    }

    private JobFailedMessage Fail(JobStartMessage start, JobFailureReason code, string reason)
    {
        logger.Error("Job {JobName} rows {RowStart}+{RowCount} failed: {Reason}", start.JobName, start.RowStart, start.RowCount, reason);
        return new JobFailedMessage(reason, code);
    }
}
