using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using SimHost.Host.Ecs;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
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
/// <remarks>
/// A frame takes 60–110 ms, so an iteration is one frame, and on two vCPUs a frame of two workers now and then loses
/// a third of its time to the scheduler (two plain threads do too, less often). Fifteen iterations, in every mode,
/// keep one such frame from deciding the figure. The job is called once per frame, so the runtime compiles it fully
/// (tier 1) only after its 30th call; 32 warm-ups measure the steady state a long simulation runs in, in the
/// workers and in-process alike.
/// </remarks>
[WarmupCount(32)]
[IterationCount(15)]
[MedianColumn]
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

    /// <summary>Builds the in-process world (one case at a time, so no idle worker runs beside the measured one).</summary>
    [GlobalSetup(Target = nameof(InProcessOneThread))]
    public void SetupInProcess() => _inProcess = Warm(Create(workers: 0));

    /// <summary>Builds the world of one worker.</summary>
    [GlobalSetup(Target = nameof(OneWorker))]
    public void SetupOneWorker() => _oneWorker = Warm(Create(workers: 1));

    /// <summary>Builds the world of two workers.</summary>
    [GlobalSetup(Target = nameof(TwoWorkers))]
    public void SetupTwoWorkers() => _twoWorkers = Warm(Create(workers: 2));

    /// <summary>Stops the workers and removes the run directories.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _inProcess?.Dispose();
        _oneWorker?.Dispose();
        _twoWorkers?.Dispose();
        (_inProcess, _oneWorker, _twoWorkers) = (null, null, null);
        foreach (var pool in _pools)
        {
            pool.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _pools.Clear();
        _owned.Clear();
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
        // Snapshot storage, as when the figures in docs/benchmarks were measured (the library default is now shared).
        var builder = new SimulationBuilder().WithJobs(JobCatalog.FromAssemblies([typeof(PhysicsStepJob).Assembly])).WithRunDirectory(runDirectory).WithLogger(NullLogger.Instance).WithStorage(StorageMode.Snapshot);
        if (workers > 0)
        {
            var options = new WorkerPoolOptions
            {
                WorkerCount = workers,
                PipeDirectory = runDirectory.Path,
                WorkerDirectory = Path.GetDirectoryName(typeof(WorkerPool).Assembly.Location),
                JobAssemblies = [typeof(PhysicsStepJob).Assembly.Location],
            };
            var pool = WorkerPool.StartAsync(options, NullLogger.Instance).GetAwaiter().GetResult();
            _pools.Add(pool);
            builder.WithExecutor(pool);
        }

        // Particles ordered by 10 m cell, so a 64-row tile is a neighbourhood and the pair tests do find neighbours.
        var world = new World();
        ParticlesModule.Seed(world, Count, seed: 1, PhysicsParameters.Default);
        var archetype = world.Query().All<Position, Velocity>().Archetypes[0];
        GridCells.SortByCell(archetype.GetSpan<Position>(), archetype.GetSpan<Velocity>(), 10f);
        return builder
            .AddSystem("grid-forces", system => system
                .Reads<Position>()
                .Writes<Velocity>()
                .Offload(GridForcesJob.JobName, GridForceParameters.Default))
            .Build(world);
    }

    // The first frame creates and maps the segments: setup, not measurement.
    private SimulationRunner Warm(SimulationRunner simulation)
    {
        Frame(simulation);
        return simulation;
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
