using BenchmarkDotNet.Attributes;
using Serilog.Core;
using SimHost.Host.Ecs;
using SimHost.Host.Scenarios;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Physics.Grid;
using SimHost.Physics.Jobs;

namespace SimHost.Benchmarks.Compute;

/// <summary>
/// One frame of the compute-heavy <c>physics.grid-forces</c> system (64 pair tests per particle, snapshot and commit
/// included): one thread in-process (the baseline) against a pool of 1 and 2 worker processes. The target
/// is 2 workers at least 1.7× faster than one thread; the job's positions never move, so every frame costs the same.
/// </summary>
public class GridForcesBenchmarks
{
    private const float Dt = 1f / 64f;

    private readonly List<IDisposable> _owned = [];
    private readonly List<WorkerPool> _pools = [];
    private SimulationRunner? _inProcess;
    private SimulationRunner? _oneWorker;
    private SimulationRunner? _twoWorkers;
    private long _frame;

    /// <summary>Particles in each world.</summary>
    [Params(262_144)]
    public int Count { get; set; }

    /// <summary>Builds three identical worlds (in-process, 1 worker, 2 workers) and runs a warm-up frame on each.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _inProcess = Create(workers: 0);
        _oneWorker = Create(workers: 1);
        _twoWorkers = Create(workers: 2);
        Frame(_inProcess);
        Frame(_oneWorker);
        Frame(_twoWorkers);
    }

    /// <summary>Stops the workers and removes the run directories.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _inProcess?.Dispose();
        _oneWorker?.Dispose();
        _twoWorkers?.Dispose();
        foreach (var pool in _pools)
        {
            pool.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    /// <summary>The frame with the job run by the host on one thread.</summary>
    [Benchmark(Baseline = true)]
    public void InProcessOneThread() => Frame(_inProcess!);

    /// <summary>The frame with the job run by one worker process.</summary>
    [Benchmark]
    public void OneWorker() => Frame(_oneWorker!);

    /// <summary>The frame with the job split over two worker processes.</summary>
    [Benchmark]
    public void TwoWorkers() => Frame(_twoWorkers!);

    private SimulationRunner Create(int workers)
    {
        var runDirectory = RunDirectory.Create();
        _owned.Add(runDirectory);
        var builder = new SimulationBuilder().WithRunDirectory(runDirectory).WithLogger(Logger.None);
        if (workers > 0)
        {
            var options = new WorkerPoolOptions
            {
                WorkerCount = workers,
                PipeDirectory = runDirectory.Path,
                WorkerDirectory = Path.GetDirectoryName(typeof(WorkerPool).Assembly.Location),
            };
            var pool = WorkerPool.StartAsync(options, Logger.None).GetAwaiter().GetResult();
            _pools.Add(pool);
            builder.WithExecutor(pool);
        }

        // Particles ordered by 10 m cell, so a 64-row tile is a neighbourhood and the pair tests do find neighbours.
        var world = new World();
        ParticleScenario.Seed(world, Count, seed: 1, PhysicsParameters.Default);
        var archetype = world.Query().All<Position, Velocity>().Archetypes[0];
        GridCells.SortByCell(archetype.GetSpan<Position>(), archetype.GetSpan<Velocity>(), 10f);
        return builder
            .AddSystem("grid-forces", system => system
                .Reads<Position>()
                .Writes<Velocity>()
                .Offload(GridForcesJob.JobName, GridForceParameters.Default))
            .Build(world);
    }

    private void Frame(SimulationRunner simulation)
    {
        var stats = simulation.RunFrameAsync(Dt, _frame++ * Dt).AsTask().GetAwaiter().GetResult();
        if (stats.HasFailures)
        {
            throw new InvalidOperationException("A grid-forces frame failed; the measurement would be meaningless.");
        }
    }
}
