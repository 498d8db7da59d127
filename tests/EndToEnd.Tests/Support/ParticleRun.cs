using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Offload;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;

namespace SimHost.Tests.EndToEnd.Support;

/// <summary>
/// The particle scenario run in this process, offloading to a named job: the crash-free in-process reference, or a
/// run on a real <see cref="WorkerPool"/>. Each frame is checked to have completed; failures of ranges are counted.
/// </summary>
internal static class ParticleRun
{
    public const double Dt = 1.0 / 60;

    /// <summary>The checksum of <paramref name="frames"/> frames of physics.step, every range in-process.</summary>
    public static async Task<UInt128> ReferenceChecksumAsync(int entities, ulong seed, int frames)
    {
        using var runDirectory = RunDirectory.Create(Path.GetTempPath());
        var world = new World();
        var builder = new SimulationBuilder().WithRunDirectory(runDirectory).WithLogger(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var simulation = new ParticlesModule().Build(builder, world, ModuleContext.For(new ParticlesModule(), seed, entities));
        await RunFramesAsync(simulation, frames, betweenFrames: null);
        return WorldChecksum.Compute(world, ParticlesModule.ParticleComponents);
    }

    /// <summary>The catalog of the built-in jobs plus the test jobs (loaded by path, as the workers load them).</summary>
    public static JobCatalog CatalogWithTestJobs() =>
        JobCatalog.Load([typeof(PhysicsStepJob).Assembly], [TestPaths.TestJobsAssembly]);

    /// <summary>Pool options for a test: pipes in the test's run directory, the test jobs loaded by every worker.</summary>
    public static WorkerPoolOptions PoolOptions(int workers, RunDirectory runDirectory, TimeSpan jobTimeout) => new()
    {
        WorkerCount = workers,
        JobTimeout = jobTimeout,
        JobAssemblies = [typeof(PhysicsStepJob).Assembly.Location, TestPaths.TestJobsAssembly],
        PipeDirectory = runDirectory.Path,
        LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
    };

    /// <summary>Seeds the scenario's particles and offloads their step to <paramref name="jobName"/> on <paramref name="executor"/>.</summary>
    public static SimulationRunner Create(World world, IRangeExecutor executor, RunDirectory runDirectory, string jobName, ReadOnlyMemory<byte> parameters, int entities, ulong seed)
    {
        ParticlesModule.Seed(world, entities, seed, PhysicsParameters.Default);
        return new SimulationBuilder()
            .WithJobs(CatalogWithTestJobs())
            .WithExecutor(executor)
            .WithRunDirectory(runDirectory)
            .WithLogger(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
            .AddSystem(ParticlesModule.SystemName, system => system.Writes<Position>().Writes<Velocity>().Offload(jobName, parameters))
            .Build(world);
    }

    /// <summary>Runs the frames, asserting each completes without a system failure; returns the ranges that failed.</summary>
    public static async Task<int> RunFramesAsync(SimulationRunner simulation, int frames, Func<long, Task>? betweenFrames)
    {
        var rangesFailed = 0;
        for (var frame = 0; frame < frames; frame++)
        {
            if (betweenFrames is not null)
            {
                await betweenFrames(frame);
            }

            var stats = await HangGuard.Within(simulation.RunFrameAsync(Dt, frame * Dt).AsTask(), $"frame {frame}");
            if (stats.HasFailures)
            {
                Assert.Fail($"Frame {frame} failed: {string.Join("; ", stats.Failures.Select(f => $"{f.Key}: {f.Value.Message}"))}");
            }

            rangesFailed += stats.RangesFailed;
        }

        return rangesFailed;
    }
}
