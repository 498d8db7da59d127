using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Jobs;

namespace SimHost.Benchmarks.Offload;

/// <summary>
/// One <c>--workers 0</c> frame of the particles scenario (every offloaded range in-process) on two host threads,
/// against the same frame on one thread (the baseline) in the same run: what running the ranges in parallel buys.
/// </summary>
/// <remarks>
/// Warmed up with 30 frames of each world in the setup and fifteen warm-up iterations: over a snapshot the frame runs
/// a few hundred pieces through small methods (copy, job, commit), and the runtime's tiered compilation replaces their
/// unoptimized code only after a delay. With the short job's three warm-ups the one-thread frame was measured at
/// 170 ms falling to 26 ms over its iterations, the cost of unoptimized code rather than of the frame.
/// </remarks>
[WarmupCount(15)]
public class InProcessFrameBenchmarks
{
    private const float Dt = 1f / 64f;

    private readonly List<IDisposable> _owned = [];
    private SimulationRunner? _oneThread;
    private SimulationRunner? _twoThreads;
    private long _frame;

    /// <summary>Particles in each world.</summary>
    [Params(1_000_000)]
    public int Count { get; set; }

    /// <summary>Where the worlds keep Position and Velocity.</summary>
    [Params(StorageMode.Shared, StorageMode.Snapshot)]
    public StorageMode Storage { get; set; }

    /// <summary>Builds the same scenario twice (one and two threads) and runs thirty warm-up frames of each.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _oneThread = Build(1);
        _twoThreads = Build(2);
        for (int i = 0; i < 30; i++)
        {
            Frame(_oneThread);
            Frame(_twoThreads);
        }
    }

    /// <summary>Disposes both simulations and their run directories.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (IDisposable owned in _owned)
        {
            owned.Dispose();
        }

        _owned.Clear();
    }

    /// <summary>A frame with every range on one thread, one after another.</summary>
    [Benchmark(Baseline = true)]
    public void OneThreadFrame() => Frame(_oneThread!);

    /// <summary>The same frame with the ranges split over two threads.</summary>
    [Benchmark]
    public void TwoThreadFrame() => Frame(_twoThreads!);

    private SimulationRunner Build(int threads)
    {
        var runDirectory = RunDirectory.Create();
        var builder = new SimulationBuilder()
            .WithJobs(JobCatalog.FromAssemblies([typeof(PhysicsStepJob).Assembly]))
            .WithRunDirectory(runDirectory)
            .WithStorage(Storage)
            .WithThreads(threads)
            .WithLogger(NullLogger.Instance);
        var module = new ParticlesModule();
        SimulationRunner simulation = module.Build(builder, new World(), ModuleContext.For(module, seed: 1, Count));
        _owned.Add(simulation);
        _owned.Add(runDirectory);
        return simulation;
    }

    private void Frame(SimulationRunner simulation)
    {
        var stats = simulation.RunFrameAsync(Dt, _frame++ * Dt).AsTask().GetAwaiter().GetResult();
        if (stats.HasFailures)
        {
            throw new InvalidOperationException("An in-process frame failed; the measurement would be meaningless.");
        }
    }
}
