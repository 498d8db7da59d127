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
        var range = start.Range;
        if (!catalog.TryGet(range.JobName, out var job))
        {
            return Fail(range, JobFailureReason.UnknownJob, $"Unknown job '{range.JobName}'; this worker knows: {string.Join(", ", catalog.Names)}.");
        }

        // Rows are u32 on the wire; one above int.MaxValue decodes as negative.
        if (range.RowStart < 0 || range.RowCount < 0)
        {
            return Fail(range, JobFailureReason.RowRangeTooLarge, $"Row range {(uint)range.RowStart}+{(uint)range.RowCount} is beyond the largest segment a worker maps.");
        }

        SharedSegment segment;
        try
        {
            segment = segments.Get(range.SegmentPath, range.SegmentGeneration);
        }
        catch (SegmentFormatException exception)
        {
            return Fail(range, JobFailureReason.SegmentRejected, $"{SegmentRejectedPrefix} {exception.Message}");
        }

        RangeOutcome outcome;
        try
        {
            outcome = JobRunner.Run(job, segment, range);
        }
#pragma warning disable CA1031 // Whatever a user's job throws is reported to the host as a failed range, not a crash.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            logger.Error(exception, "Job {JobName} rows {RowStart}+{RowCount} threw", range.JobName, range.RowStart, range.RowCount);
            return new JobFailedMessage($"{exception.GetType().FullName}: {exception.Message}", JobFailureReason.JobThrew);
        }

        logger.Verbose(
            "Job {JobName} rows {RowStart}+{RowCount} changed {RowsChanged} rows in {Elapsed}",
            range.JobName, range.RowStart, range.RowCount, outcome.RowsChanged, outcome.Elapsed);
        return new JobDoneMessage(range, outcome);
    }

    private JobFailedMessage Fail(in JobRange range, JobFailureReason code, string reason)
    {
        logger.Error("Job {JobName} rows {RowStart}+{RowCount} failed: {Reason}", range.JobName, (uint)range.RowStart, (uint)range.RowCount, reason);
        return new JobFailedMessage(reason, code);
    }
}
