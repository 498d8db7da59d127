using BenchmarkDotNet.Attributes;
using Serilog.Core;
using SimHost.Benchmarks.Baselines;
using SimHost.Host.Ecs;
using SimHost.Host.Scenarios;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;
using SimHost.Layout.Segments;
using SimHost.Physics.Components;

namespace SimHost.Benchmarks.Offload;

/// <summary>
/// One whole offloaded physics frame of the particle scenario (snapshot or shared storage; in-process, 1 or 2
/// worker processes) against the plain SIMD integrate loop over arrays of the same size: the ratios of the
/// performance issue's storage targets.
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

    /// <summary>Particles in the world.</summary>
    [Params(1_000_000)]
    public int Count { get; set; }

    /// <summary>Where the world keeps Position and Velocity.</summary>
    [Params(StorageMode.Snapshot, StorageMode.Shared)]
    public StorageMode Storage { get; set; }

    /// <summary>Worker processes; 0 runs the job in-process.</summary>
    [Params(0, 1, 2)]
    public int Workers { get; set; }

    /// <summary>Seeds the world, starts the workers and runs two warm-up frames (segments created and mapped).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _positions = new Position[Count];
        _velocities = new Velocity[Count];
        var random = new Random(42);
        for (var i = 0; i < Count; i++)
        {
            _positions[i] = new Position(random.NextSingle() * 100f, random.NextSingle() * 100f, random.NextSingle() * 100f);
            _velocities[i] = new Velocity(random.NextSingle() - 0.5f, random.NextSingle() - 0.5f, random.NextSingle() - 0.5f);
        }

        _runDirectory = RunDirectory.Create();
        var builder = new SimulationBuilder().WithRunDirectory(_runDirectory).WithStorage(Storage).WithLogger(Logger.None);
        if (Workers > 0)
        {
            var options = new WorkerPoolOptions
            {
                WorkerCount = Workers,
                PipeDirectory = _runDirectory.Path,
                WorkerDirectory = Path.GetDirectoryName(typeof(WorkerPool).Assembly.Location),
            };
            _pool = WorkerPool.StartAsync(options, Logger.None).GetAwaiter().GetResult();
            builder.WithExecutor(_pool);
        }

        _simulation = ParticleScenario.Create(builder, new World(), Count, seed: 1);
        Frame();
        Frame();
    }

    /// <summary>Stops the workers and removes the run directory.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _simulation?.Dispose();
        _pool?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _runDirectory?.Dispose();
    }

    /// <summary>The plain SIMD integrate loop over arrays: Position += Velocity * dt.</summary>
    [Benchmark(Baseline = true)]
    public void PlainArraySimd() => PlainIntegrate.Simd(_positions, _velocities, Dt);

    /// <summary>One frame of the offloaded physics system, commit included.</summary>
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
