using SimHost.Host.Ecs;

namespace SimHost.Host.Offload;

/// <summary>Runs one offloaded system's frame, whatever the storage: snapshot-and-commit or shared columns.</summary>
public interface IOffloadCoordinator
{
    /// <summary>The job every range runs.</summary>
    string JobName { get; }

    /// <summary>Runs the job over the rows <paramref name="query"/> matches and makes what it changed current.</summary>
    /// <param name="query">The system's query.</param>
    /// <param name="frameId">The frame.</param>
    /// <param name="deltaTime">Seconds the frame advances.</param>
    /// <param name="time">Simulation time at the start of the frame.</param>
    /// <param name="cancellationToken">Stops waiting for ranges; nothing is committed then.</param>
    /// <returns>The frame's figures.</returns>
    ValueTask<OffloadResult> RunAsync(Query query, ulong frameId, double deltaTime, double time, CancellationToken cancellationToken);
}
