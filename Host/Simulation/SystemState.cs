using System.Runtime.CompilerServices;
using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Host.Scheduling;

namespace SimHost.Host.Simulation;

/// <summary>
/// One system's run state inside a <see cref="SimulationRunner"/>: its change cursor, command buffer, query and either its
/// in-process work or its offload coordinator, plus this frame's figures.
/// </summary>
internal sealed class SystemState
{
    private readonly World _world;
    private readonly Lock _tickLock;
    private readonly Action<SystemContext>? _work;

    public SystemState(string name, string stage, World world, Query query, Lock tickLock, Action<SystemContext>? work, OffloadCoordinator? coordinator)
    {
        Name = name;
        Stage = stage;
        _world = world;
        _tickLock = tickLock;
        _work = work;
        Coordinator = coordinator;
        Query = query.WithCursor(Cursor);
        Context = new SystemContext(world, Query, Commands);
    }

    public string Name { get; }

    public string Stage { get; }

    public ChangeCursor Cursor { get; } = new();

    public CommandBuffer Commands { get; } = new();

    public Query Query { get; }

    public SystemContext Context { get; }

    public OffloadCoordinator? Coordinator { get; }

    public OffloadResult Offload { get; private set; }

    public Exception? PlaybackFailure { get; set; }

    public void ResetFrame()
    {
        Offload = default;
        PlaybackFailure = null;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RunAsync(SystemRunContext run, CancellationToken cancellationToken)
    {
        // Systems of one level run concurrently and the world's tick is a plain counter: advance it one at a time.
        lock (_tickLock)
        {
            Cursor.BeginRun(_world);
        }

        // No structural change while any system runs, in every mode: an offloaded job's rows must stay where its
        // snapshot (or shared segment) found them until its commit. Systems record them in their command buffers.
        _world.EnterIteration();
        try
        {
            await RunWorkAsync(run, cancellationToken);
        }
        finally
        {
            _world.ExitIteration();
            // Everything this system wrote, committed job output included, is behind its cursor from now on: a system
            // does not see its own writes as changes on its next run.
            lock (_tickLock)
            {
                Cursor.EndRun(_world);
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask RunWorkAsync(SystemRunContext run, CancellationToken cancellationToken)
    {
        if (Coordinator is null)
        {
            Context.FrameIndex = run.FrameIndex;
            Context.DeltaSeconds = run.DeltaSeconds;
            Context.TimeSeconds = run.TimeSeconds;
            _work!(Context);
            return;
        }

        Offload = await Coordinator.RunAsync(Query, (ulong)run.FrameIndex, run.DeltaSeconds, run.TimeSeconds, run.MayBlockCaller, cancellationToken);
        if (Offload.RangesAbandoned > 0)
        {
            // Under a policy with no retry and no fallback (--on-worker-failure fail) nothing was re-run: the message
            // must not claim retries that never happened.
            var recovery = Coordinator.MaxExecutorRetries == 0 && !Coordinator.HasInProcessFallback
                ? "were not re-run (the failure policy allows no retry and no in-process fallback)"
                : Coordinator.HasInProcessFallback && Coordinator.NotRunInHostBecause is { } crash
                    ? $"were not run in the host, since the job crashed or hung a worker and would take the host down the same way ({crash})"
                    : "were not recovered (every retry and fallback the failure policy allows failed too)";
            throw new OffloadFailedException(
                $"Offloaded system '{Name}': {Offload.RangesAbandoned} of {Offload.RangesRun} ranges of job '{Coordinator.JobName}' failed and {recovery}; their rows kept last frame's values. The last failure: {Coordinator.LastFailure}")
            {
                JobKeptOutOfHost = Coordinator.HasInProcessFallback && Coordinator.NotRunInHostBecause is not null ? Coordinator.JobName : null,
            };
        }
    }
}
