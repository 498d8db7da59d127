namespace SimHost.Host.Scheduling;

/// <summary>Handed to an <see cref="IStageObserver"/> when every system of a stage has finished or been skipped.</summary>
/// <param name="Stage">The stage that finished.</param>
/// <param name="Context">The frame's timing and frame state, as the stage's systems received them.</param>
/// <param name="FailedCount">How many systems of the stage threw.</param>
/// <param name="SkippedCount">How many systems of the stage were skipped because a dependency failed.</param>
internal readonly record struct StageCompletion(ScheduleStage Stage, SystemRunContext Context, int FailedCount, int SkippedCount)
{
    /// <summary>True when at least one system of the stage threw.</summary>
    public bool HasFailures => FailedCount > 0;
}
