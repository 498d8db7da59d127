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

namespace SimHost.Benchmarks.Compute;

/// <summary>
/// The data behind <c>docs/benchmarks/scaling.png</c>: one offloaded physics frame per storage mode and worker count
/// at 100k, 1M and 4M particles, beside the plain SIMD integrate loop over arrays of the same size. Draw the chart
/// from its CSV report with the <c>chart</c> command.
/// </summary>
public class FrameScalingBenchmarks
{
    private const float Dt = 1f / 64f;

    private Position[] _positions = [];
    private Velocity[] _velocities = [];
    private RunDirectory? _runDirectory;
    private WorkerPool? _pool;
    private SimulationRunner? _simulation;
    private long _frame;

    /// <summary>Particles in the world.</summary>
    [Params(100_000, 1_000_000, 4_000_000)]
    public int Count { get; set; }

    /// <summary>Where the world keeps Position and Velocity.</summary>
    [Params(StorageMode.Snapshot, StorageMode.Shared)]
    public StorageMode Storage { get; set; }

    /// <summary>Worker processes; 0 runs the job in-process.</summary>
    [Params(0, 1, 2)]
    public int Workers { get; set; }

    /// <summary>Seeds the arrays and the world, starts the workers and runs two warm-up frames.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _positions = new Position[Count];
        _velocities = new Velocity[Count];
        ParticleScenario.Fill(_positions, _velocities, 1, SimHost.Physics.PhysicsParameters.Default);
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

    /// <summary>The plain SIMD integrate loop over arrays (the same for every storage and worker count).</summary>
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
