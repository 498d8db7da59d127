namespace SimHost.Host.Cli;

/// <summary>The CPU priority checkpoints are written at (<c>--checkpoint-priority</c>).</summary>
internal enum CheckpointPriority
{
    /// <summary>The lowest: the writing gives way to the frames and the workers, so on a busy machine fewer of the checkpoints due are written.</summary>
    Lowest,

    /// <summary>The frames': every checkpoint due is written sooner, at the frames' expense (a higher frame-time p99).</summary>
    Normal,
}
