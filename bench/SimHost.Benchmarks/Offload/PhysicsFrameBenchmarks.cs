using BenchmarkDotNet.Attributes;
using SimHost.Benchmarks.Baselines;
using SimHost.Host.Ecs;
using SimHost.Host.Scenarios;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;

namespace SimHost.Benchmarks.Offload;

/// <summary>
/// One frame of the built-in particle scenario (snapshot, physics job, commit) run in-process (<c>--workers 0</c>) and
/// on pools of one and two worker processes, against the same step over plain arrays: the plain SIMD integrate loop
/// (the baseline, the memory-bound floor) and <c>ParticleStep.Run</c> alone (the job's own cost, no snapshot).
/// </summary>
/// <remarks>
/// Workers are separate processes, so BenchmarkDotNet's in-process toolchain measures them faithfully. Each case
/// sets up only what it runs: a world and simulation for the frame cases, plus a started pool for the worker ones.
/// </remarks>
public class PhysicsFrameBenchmarks
{
    private const float Dt = 1f / 60f;
    private const ulong Seed = 42;

    private Position[] _positions = [];
    private Velocity[] _velocities = [];
    private ulong[] _changedWords = [];
    private RunDirectory? _runDirectory;
    private WorkerPool? _pool;
    private SimulationRunner? _simulation;
    private long _frame;
    private long _rangesFailed;

    /// <summary>The number of particles stepped per frame.</summary>
    [Params(100_000, 1_000_000)]
    public int Count { get; set; }

    /// <summary>Fills plain arrays with the scenario's particles.</summary>
    [GlobalSetup(Targets = [nameof(PlainArraySimd), nameof(ParticleStepRun)])]
    public void SetupArrays()
    {
        _positions = new Position[Count];
        _velocities = new Velocity[Count];
        _changedWords = new ulong[(Count + 63) / 64];
        ParticleScenario.Fill(_positions, _velocities, Seed, PhysicsParameters.Default);
    }

    /// <summary>Builds the scenario with the in-process executor.</summary>
    [GlobalSetup(Target = nameof(FrameInProcess))]
    public void SetupInProcess()
    {
        _runDirectory = RunDirectory.Create();
        _simulation = BuildSimulation(new SimulationBuilder());
    }

    /// <summary>Starts one worker and builds the scenario on it.</summary>
    [GlobalSetup(Target = nameof(FrameOneWorker))]
    public void SetupOneWorker() => SetupPool(1);

    /// <summary>Starts two workers and builds the scenario on them.</summary>
    [GlobalSetup(Target = nameof(FrameTwoWorkers))]
    public void SetupTwoWorkers() => SetupPool(2);

    /// <summary>Deletes the segments, stops the workers and removes the run directory.</summary>
    [GlobalCleanup(Targets = [nameof(FrameInProcess), nameof(FrameOneWorker), nameof(FrameTwoWorkers)])]
    public void Cleanup()
    {
        // A failed range falls back in-process, so the case's figure would not be what its name says.
        if (_rangesFailed > 0)
        {
            Console.WriteLine($"// WARNING {nameof(PhysicsFrameBenchmarks)}: {_rangesFailed} ranges failed while measuring; the figure includes the in-process fallback.");
        }

        _rangesFailed = 0;
        _simulation?.Dispose();
        _simulation = null;
        _pool?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _pool = null;
        _runDirectory?.Dispose();
        _runDirectory = null;
    }

    /// <summary>The plain SIMD integrate loop over arrays of the same size.</summary>
    [Benchmark(Baseline = true)]
    public void PlainArraySimd() => PlainIntegrate.Simd(_positions, _velocities, Dt);

    /// <summary>The physics job's kernel alone over plain arrays, in-process, with no snapshot or commit.</summary>
    /// <returns>The number of rows flagged as changed.</returns>
    [Benchmark]
    public int ParticleStepRun() => ParticleStep.Run(_positions, _velocities, _changedWords, Dt, PhysicsParameters.Default);

    /// <summary>One frame with the in-process executor (<c>--workers 0</c>).</summary>
    /// <returns>The rows committed.</returns>
    [Benchmark]
    public ValueTask<long> FrameInProcess() => RunFrameAsync();

    /// <summary>One frame on a pool of one worker process.</summary>
    /// <returns>The rows committed.</returns>
    [Benchmark]
    public ValueTask<long> FrameOneWorker() => RunFrameAsync();

    /// <summary>One frame on a pool of two worker processes.</summary>
    /// <returns>The rows committed.</returns>
    [Benchmark]
    public ValueTask<long> FrameTwoWorkers() => RunFrameAsync();

    private async ValueTask<long> RunFrameAsync()
    {
        var frame = _frame++;
        var stats = await _simulation!.RunFrameAsync(Dt, frame * (double)Dt).ConfigureAwait(false);
        _rangesFailed += stats.RangesFailed;
        return stats.RowsCommitted;
    }

    private void SetupPool(int workers)
    {
        _runDirectory = RunDirectory.Create();
        var options = new WorkerPoolOptions { WorkerCount = workers, PipeDirectory = _runDirectory.Path };
        _pool = WorkerPool.StartAsync(options, Serilog.Core.Logger.None).GetAwaiter().GetResult();
        if (_pool.ParallelSlots != workers)
        {
            throw new InvalidOperationException($"Only {_pool.ParallelSlots} of {workers} workers started; the figures would not be of {workers} workers.");
        }

        _simulation = BuildSimulation(new SimulationBuilder().WithExecutor(_pool));
    }

    private SimulationRunner BuildSimulation(SimulationBuilder builder)
    {
        _frame = 0;
        var simulation = ParticleScenario.Create(builder.WithRunDirectory(_runDirectory!), new World(), Count, Seed);

        // The first frame creates the segment files and maps them in every worker; steady frames reuse them.
        var stats = simulation.RunFrameAsync(Dt, 0).AsTask().GetAwaiter().GetResult();
        if (stats.HasFailures || stats.RangesFailed > 0)
        {
            throw new InvalidOperationException($"The warm-up frame failed ({stats.RangesFailed} ranges failed); the figures would measure the fallback.");
        }

        _frame = 1;
        return simulation;
    }
}
