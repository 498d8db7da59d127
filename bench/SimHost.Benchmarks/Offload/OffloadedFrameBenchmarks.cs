using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using SimHost.Benchmarks.Baselines;
using SimHost.Benchmarks.Configuration;
using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;

namespace SimHost.Benchmarks.Offload;

/// <summary>
/// One whole offloaded frame (snapshot or shared storage; in-process, 1 or 2 worker processes) against the plain
/// SIMD integrate loop over arrays of the same size in the same run: the ratios of the performance issue's storage
/// targets, and the data behind <c>docs/benchmarks/scaling.png</c> (draw it with the <c>chart</c> command).
/// </summary>
public class OffloadedFrameBenchmarks
{
    private const float Dt = 1f / 64f;

    private Position[] _positions = [];
    private Velocity[] _velocities = [];
    private RunDirectory? _runDirectory;
    private WorkerPool? _pool;
    private SimulationRunner? _simulation;
    private long _frame;

    /// <summary>The offloaded job: <c>physics.integrate</c> (the baseline's arithmetic) or <c>physics.step</c> (the scenario).</summary>
    [ParamsSource(nameof(Jobs))]
    public string OffloadedJob { get; set; } = IntegrateJob.JobName;

    /// <summary>Particles in the world.</summary>
    [ParamsSource(nameof(Counts))]
    public int Count { get; set; }

    /// <summary>Where the world keeps Position and Velocity.</summary>
    [ParamsSource(nameof(StorageModes))]
    public StorageMode Storage { get; set; }

    /// <summary>Worker processes; 0 runs the job in-process.</summary>
    [ParamsSource(nameof(WorkerCounts))]
    public int Workers { get; set; }

    /// <summary>The jobs of this run's mode.</summary>
    public static IEnumerable<string> Jobs => SuiteParameters.FrameJobs;

    /// <summary>The entity counts of this run's mode.</summary>
    public static IEnumerable<int> Counts => SuiteParameters.FrameEntityCounts;

    /// <summary>The storage modes of this run's mode.</summary>
    public static IEnumerable<StorageMode> StorageModes => SuiteParameters.FrameStorageModes;

    /// <summary>The worker counts of this run's mode.</summary>
    public static IEnumerable<int> WorkerCounts => SuiteParameters.FrameWorkerCounts;

    /// <summary>Seeds the arrays and the world alike, starts the workers and runs two warm-up frames (segments created and mapped).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _positions = new Position[Count];
        _velocities = new Velocity[Count];
        ParticlesModule.Fill(_positions, _velocities, 1, PhysicsParameters.Default);

        _runDirectory = RunDirectory.Create();
        var builder = new SimulationBuilder().WithJobs(JobCatalog.FromAssemblies([typeof(PhysicsStepJob).Assembly])).WithRunDirectory(_runDirectory).WithStorage(Storage).WithLogger(NullLogger.Instance);
        if (Workers > 0)
        {
            var options = new WorkerPoolOptions
            {
                WorkerCount = Workers,
                PipeDirectory = _runDirectory.Path,
                WorkerDirectory = Path.GetDirectoryName(typeof(WorkerPool).Assembly.Location),
                JobAssemblies = [typeof(PhysicsStepJob).Assembly.Location],
            };
            _pool = WorkerPool.StartAsync(options, NullLogger.Instance).GetAwaiter().GetResult();
            builder.WithExecutor(_pool);
        }

        var world = new World();
        if (OffloadedJob == PhysicsStepJob.JobName)
        {
            _simulation = new ParticlesModule().Build(builder, world, ModuleContext.For(new ParticlesModule(), seed: 1, Count));
        }
        else
        {
            ParticlesModule.Seed(world, Count, seed: 1, PhysicsParameters.Default);
            _simulation = builder
                .AddSystem("integrate", system => system.Writes<Position>().Reads<Velocity>().Offload(OffloadedJob))
                .Build(world);
        }

        Frame();
        Frame();
    }

    /// <summary>Stops the workers and removes the run directory.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _simulation?.Dispose();
        _simulation = null;
        _pool?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _pool = null;
        _runDirectory?.Dispose();
        _runDirectory = null;
    }

    /// <summary>The plain SIMD integrate loop over arrays: Position += Velocity * dt.</summary>
    [Benchmark(Baseline = true)]
    public void PlainArraySimd() => PlainIntegrate.Simd(_positions, _velocities, Dt);

    /// <summary>One frame of the offloaded system, commit included.</summary>
    [Benchmark]
    public void OffloadedFrame() => Frame();

    private void Frame()
    {
        var stats = _simulation!.RunFrameAsync(Dt, _frame++ * Dt).AsTask().GetAwaiter().GetResult();
        if (stats.HasFailures)
        {
            throw new InvalidOperationException("An offloaded frame failed; the measurement would be meaningless.");
        }
    }
}
