using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;
using SimHost.Tests.EndToEnd.Support;
using SimHost.Tests.JobsWithDependency;

namespace SimHost.Tests.EndToEnd.Jobs;

/// <summary>
/// Jobs that call NuGet packages simhost-worker does not carry (MathNet.Numerics; System.IO.Hashing, which only the
/// host carries), loaded from their own build output folder: they run in every real worker, no range fails or falls
/// back in-process, and the world ends exactly as the in-process run.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DependencyJobTests
{
    private const int Entities = 5000;
    private const int Frames = 4;
    private const ulong Seed = 5;
    private PoolEnvironment _environment = null!;

    [SetUp]
    public void SetUp() => _environment = new PoolEnvironment();

    [TearDown]
    public async Task TearDown() => await _environment.DisposeAsync();

    [TestCase(1)]
    [TestCase(2)]
    public async Task JobsWithTheirOwnDependencies_RunOnWorkers_AndMatchTheInProcessRun(int workers)
    {
        var assembly = DependencyJobsFolder.BuiltAssemblyPath;
        var pool = await _environment.StartPoolAsync(workers, TimeSpan.FromSeconds(60), jobAssemblies: [assembly]);

        var (onWorkers, rangesFailed) = await RunAsync(pool, _environment.RunDirectory, assembly);
        using var inProcessDirectory = RunDirectory.Create(Path.GetTempPath());
        var (inProcess, _) = await RunAsync(null, inProcessDirectory, assembly);

        Assert.Multiple(() =>
        {
            Assert.That(rangesFailed, Is.Zero, "no range failed in a worker (a failure would fall back in-process and hide it)");
            Assert.That(pool.ParallelSlots, Is.EqualTo(workers), "every worker still up");
            Assert.That(pool.RestartCount, Is.Zero);
            Assert.That(onWorkers, Is.EqualTo(inProcess), "checksum against the in-process run");
        });
    }

    private static async Task<(string Checksum, int RangesFailed)> RunAsync(IRangeExecutor? executor, RunDirectory runDirectory, string assembly)
    {
        var world = new World();
        ParticlesModule.Seed(world, Entities, Seed, PhysicsParameters.Default);
        var builder = new SimulationBuilder()
            .WithJobs(JobCatalog.Load([typeof(PhysicsStepJob).Assembly], [assembly]))
            .WithRunDirectory(runDirectory)
            .WithLogger(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
            .WithInProcessFallback(executor is null)
            .AddSystem("drift", s => s.Writes<Position>().Reads<Velocity>().Offload(DependencyJobNames.MathNetDrift))
            .AddSystem("jitter", s => s.After("drift").Writes<Position>().Offload(DependencyJobNames.HashingJitter));
        if (executor is not null)
        {
            builder = builder.WithExecutor(executor).WithExecutorRetries(0);
        }

        int rangesFailed;
        using (var simulation = builder.Build(world))
        {
            rangesFailed = await ParticleRun.RunFramesAsync(simulation, Frames, betweenFrames: null);
        }

        return (WorldChecksum.Format(WorldChecksum.Compute(world, ParticlesModule.ParticleComponents)), rangesFailed);
    }
}
