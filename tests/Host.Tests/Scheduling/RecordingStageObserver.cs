using SimHost.Host.Scheduling;

namespace SimHost.Tests.Host.Scheduling;

/// <summary>Records every stage completion the runner reports, in order.</summary>
internal sealed class RecordingStageObserver : IStageObserver
{
    public List<StageCompletion> Completions { get; } = [];

    public ValueTask OnStageCompletedAsync(StageCompletion completion, CancellationToken cancellationToken)
    {
        Completions.Add(completion);
        return ValueTask.CompletedTask;
    }
}
