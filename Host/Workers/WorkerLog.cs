using Microsoft.Extensions.Logging;
using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>The worker supervisor's log events, as source-generated delegates (no boxing, no parsing per call).</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Worker pool started with no workers: every job runs in-process")]
    public static partial void PoolStartedEmpty(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker pool started: {Alive} of {Count} workers running")]
    public static partial void PoolStarted(ILogger logger, int alive, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    public static partial void JobsUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker pool stopped after {Restarts} restarts")]
    public static partial void PoolStopped(ILogger logger, long restarts);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Every worker slot is down; ranges must run in-process")]
    public static partial void EverySlotDown(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {WorkerId} refused at handshake: {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, uint workerId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a connection on worker {WorkerId}'s pipe: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, uint workerId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {MessageType} #{Sequence} from worker {WorkerId}: no such request is outstanding")]
    public static partial void ReplyDropped(ILogger logger, MessageType messageType, ulong sequence, uint workerId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped {MessageType} #{Sequence} from worker {WorkerId}: it came after the host stopped waiting for it")]
    public static partial void LateReplyDropped(ILogger logger, MessageType messageType, ulong sequence, uint workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {What} failed in worker {WorkerId}: {Reason}")]
    public static partial void JobFailed(ILogger logger, string what, int workerId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} lost ({Reason}); starting a replacement")]
    public static partial void WorkerLostReplacing(ILogger logger, uint workerId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} lost ({Reason})")]
    public static partial void WorkerLost(ILogger logger, uint workerId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker slot {WorkerId} stays down, the pool runs with fewer workers: {Reason}")]
    public static partial void SlotStaysDown(ILogger logger, uint workerId, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker slot {WorkerId} stays down: its supervision failed")]
    public static partial void SupervisionFailed(ILogger logger, uint workerId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker slot {WorkerId}'s supervision ended with the pool's shutdown")]
    public static partial void SupervisionEndedAtShutdown(ILogger logger, uint workerId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {WorkerId}'s mailbox {Path} could not be created: {Reason}")]
    public static partial void MailboxFailed(ILogger logger, uint workerId, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {WorkerId} could not start: {Reason}")]
    public static partial void StartFailed(ILogger logger, uint workerId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {WorkerId} cannot run the simulation's jobs, counted as a failed start: {Reason}")]
    public static partial void JobsMissing(ILogger logger, uint workerId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} ready (pid {ProcessId})")]
    public static partial void WorkerReady(ILogger logger, uint workerId, int processId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} killed: {Reason}")]
    public static partial void Killed(ILogger logger, uint workerId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {WorkerId} did not connect: {Reason}")]
    public static partial void DidNotConnect(ILogger logger, uint workerId, string reason);

    /// <summary>
    /// A worker-tagged line whose text is the whole message (a forwarded worker line): the event carries the WorkerId
    /// property and its template does not name the worker a second time; a logger that prints formatted text only (no
    /// properties) gets <c>worker N: text</c>.
    /// </summary>
    public static void Tagged(ILogger logger, LogLevel level, uint workerId, string property, string text, string template)
    {
        if (logger.IsEnabled(level))
        {
            logger.Log(level, default, new WorkerTaggedState(workerId, property, text, template), null, static (state, _) => state.Formatted);
        }
    }
}
