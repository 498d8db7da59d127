using Microsoft.Extensions.Logging;

namespace SimHost.Host.Persistence;

/// <summary>The checkpoint writer's log events.</summary>
internal static partial class CheckpointLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint of frame {Frame} skipped: the previous one is still being written (further skips are logged at most once a minute, and counted in the summary)")]
    public static partial void Skipped(ILogger logger, long frame);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoints skipped since the last such warning: {Count}, up to frame {Frame}; each fell due while the previous one was still being written: a larger --checkpoint-every gives each more frames")]
    public static partial void SkippedSince(ILogger logger, int count, long frame);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checkpoint of frame {Frame} skipped: the previous one is still being written")]
    public static partial void SkippedQuietly(ILogger logger, long frame);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint of frame {Frame} written to {Checkpoint}")]
    public static partial void Written(ILogger logger, long frame, string checkpoint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checkpoint of frame {Frame} started: the world was copied, the writing goes on beside the frames")]
    public static partial void Started(ILogger logger, long frame);
}
