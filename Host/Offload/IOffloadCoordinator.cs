using SimHost.Host.Ecs;

namespace SimHost.Host.Offload;

/// <summary>Runs one offloaded system's frame, whatever the storage: snapshot-and-commit or shared columns.</summary>
internal interface IOffloadCoordinator
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

    /// <summary>
    /// Like <see cref="RunAsync(Query, ulong, double, double, CancellationToken)"/>; when
    /// <paramref name="mayBlockCaller"/> is true nothing waits behind the calling thread, so the last range's reply may
    /// be awaited on it (<see cref="RangeRequest.MayBlockCaller"/>).
    /// </summary>
    /// <param name="query">The system's query.</param>
    /// <param name="frameId">The frame.</param>
    /// <param name="deltaTime">Seconds the frame advances.</param>
    /// <param name="time">Simulation time at the start of the frame.</param>
    /// <param name="mayBlockCaller">Whether the calling thread may be held until the last range's reply.</param>
    /// <param name="cancellationToken">Stops waiting for ranges; nothing is committed then.</param>
    /// <returns>The frame's figures.</returns>
    ValueTask<OffloadResult> RunAsync(Query query, ulong frameId, double deltaTime, double time, bool mayBlockCaller, CancellationToken cancellationToken);
}
