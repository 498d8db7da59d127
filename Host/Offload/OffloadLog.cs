using Microsoft.Extensions.Logging;

namespace SimHost.Host.Offload;

/// <summary>The offload path's log events: failed ranges and jobs moving between workers and the host.</summary>
internal static partial class OffloadLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Offloaded job {Job}: {Range} failed every retry; its rows keep their previous values this frame")]
    public static partial void RangeFailedEveryRetry(ILogger logger, string job, string range);

    [LoggerMessage(Level = LogLevel.Error, Message = "Offloaded job {Job}: {Range} failed and was not re-run (no retry and no in-process fallback are allowed); its rows keep their previous values this frame")]
    public static partial void RangeFailedWithoutRetry(ILogger logger, string job, string range);

    /// <summary>
    /// A range (or a piece in the host) that nothing re-ran successfully: "failed every retry" where the failure policy
    /// allowed one, and "not re-run" where it allowed none, so that the reader does not look for retries in the log.
    /// </summary>
    public static void RangeAbandoned(ILogger logger, string job, string range, bool wasRetried)
    {
        if (wasRetried)
        {
            RangeFailedEveryRetry(logger, job, range);
        }
        else
        {
            RangeFailedWithoutRetry(logger, job, range);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Offloaded job {Job}: {Range} failed on the workers and is not run in the host, since the job crashed or hung a worker; its rows keep their previous values this frame")]
    public static partial void RangeNotRunInHost(ILogger logger, string job, string range);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offloaded job {Job} runs in-process: no worker is running (restarting or down)")]
    public static partial void JobRunsInProcess(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offloaded job {Job} is never run in the host from now on: it crashed or hung its worker ({Failure}), and would take the host down the same way; its ranges run on workers only, and one no worker completes is given up like any failed range")]
    public static partial void JobNotRunInHost(ILogger logger, string job, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Offloaded job {Job} runs on workers again")]
    public static partial void JobBackOnWorkers(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offloaded job {Job}: {Range} failed on {Where}: {Reason}")]
    public static partial void RangeFailed(ILogger logger, string job, string range, string where, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offloaded job {Job}: {Range} did not start: {Reason}")]
    public static partial void RangeNotStarted(ILogger logger, string job, string range, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offloaded job {Job}, system {System}: {Failures} failed attempts over {Pieces} pieces in the host this frame, {Abandoned} pieces failed every retry and keep their previous values (only the first of each is logged above); the last failure: {LastFailure}")]
    public static partial void PiecesFailed(ILogger logger, string job, string system, int failures, int pieces, int abandoned, string? lastFailure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offloaded job {Job}, system {System}: {Failures} failed attempts over {Pieces} pieces in the host this frame, {Abandoned} pieces failed and were not re-run (no retry and no in-process fallback are allowed) and keep their previous values (only the first of each is logged above); the last failure: {LastFailure}")]
    public static partial void PiecesFailedWithoutRetry(ILogger logger, string job, string system, int failures, int pieces, int abandoned, string? lastFailure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} rows {RowStart}+{RowCount} has run in the host for {Seconds:0.0} s, past the job timeout ({Timeout}): a range in the host cannot be stopped, so the frame waits for it")]
    public static partial void InProcessRangeOverdue(ILogger logger, string job, int rowStart, int rowCount, double seconds, string timeout);
}
