namespace SimHost.Host.Scheduling;

/// <summary>
/// Called at the end of every stage that runs, even when some of its systems failed, so the integration layer
/// can play back command buffers (structural changes) between stages.
/// </summary>
internal interface IStageObserver
{
    /// <summary>Runs after the last level of a stage; an exception thrown here aborts the frame.</summary>
    ValueTask OnStageCompletedAsync(StageCompletion completion, CancellationToken cancellationToken);
}
