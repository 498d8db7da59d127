using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>
/// Reads a worker's reply to JobStart as one of three things: the range is done, the job failed (the worker is fine),
/// or the worker itself is at fault (a protocol break, or a segment it refused) and must be killed.
/// </summary>
internal static class JobReplyClassifier
{
    /// <summary>Classifies <paramref name="reply"/> to the JobStart of <paramref name="range"/>; <paramref name="what"/> names the range in reasons.</summary>
    public static JobReply Classify(Frame reply, in JobRange range, int workerId, string what) => reply.Message switch
    {
        JobDoneMessage done when done.Answers(range) =>
            new JobReply(JobReplyKind.Done, done.Outcome with { WorkerId = workerId }, null),
        JobDoneMessage done =>
            Fault($"protocol break: answered {what} with rows {done.RowStart}+{done.RowCount}"),
        JobFailedMessage { Reason: JobFailureReason.SegmentRejected } failed =>
            Fault($"rejected the segment of {what}: {failed.ErrorText}; killed"),
        JobFailedMessage failed =>
            new JobReply(JobReplyKind.JobFailed, null, failed.ErrorText),
        _ => Fault($"protocol break: answered {what} with {reply.Type}"),
    };

    private static JobReply Fault(string reason) => new(JobReplyKind.WorkerFault, null, reason);
}

/// <summary>What a reply to JobStart means for the range and the worker.</summary>
internal enum JobReplyKind
{
    /// <summary>The range ran; <see cref="JobReply.Outcome"/> holds its result.</summary>
    Done,

    /// <summary>The job threw; the worker stays.</summary>
    JobFailed,

    /// <summary>The worker cannot be trusted any more and is killed.</summary>
    WorkerFault,
}

/// <summary>A classified reply: the kind, the outcome when done, the worker's error text or the fault otherwise.</summary>
internal readonly record struct JobReply(JobReplyKind Kind, RangeOutcome? Outcome, string? Reason);
