using SimHost.Host.Ecs;
using SimHost.Host.Scheduling;

namespace SimHost.Host.Simulation;

/// <summary>Plays back the command buffers of a stage's systems, in registration order, when the stage ends.</summary>
internal sealed class StagePlayback(World world, IReadOnlyDictionary<string, SystemState[]> systemsByStage) : IStageObserver
{
    public ValueTask OnStageCompletedAsync(StageCompletion completion, CancellationToken cancellationToken)
    {
        if (systemsByStage.TryGetValue(completion.Stage.Name, out var systems))
        {
            foreach (var system in systems)
            {
                // A failed system's commands still apply (it may have recorded cleanup before failing); a playback
                // that throws fails only that system, never the others' playback.
                try
                {
                    system.Commands.Playback(world);
                }
                catch (InvalidOperationException exception)
                {
                    system.PlaybackFailure = exception;
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}
