using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Offload;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Jobs;

namespace SimHost.Tests.Host.Simulation;

/// <summary>An offloaded system with Ticks(k): F frames of k ticks leave the world exactly as F × k frames of one tick.</summary>
public sealed class MultiTickTests
{
    private const int Entities = 2000;
    private const ulong Seed = 9;
    private const double Dt = 1.0 / 64;

    private static readonly JobCatalog s_catalog = JobCatalog.FromAssemblies([typeof(PhysicsStepJob).Assembly]);

    private RunDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [TestCase(StorageMode.Snapshot, 3, 4, 1)]
    [TestCase(StorageMode.Snapshot, 5, 2, 3)]
    [TestCase(StorageMode.Shared, 3, 4, 1)]
    [TestCase(StorageMode.Shared, 5, 2, 3)]
    public async Task FramesOfKTicks_EqualFramesTimesKSingleTicks(StorageMode storage, int ticks, int frames, int slots)
    {
        var single = await RunAsync(storage, frames * ticks, ticksPerFrame: 1, slots);
        var multi = await RunAsync(storage, frames, ticks, slots);

        Assert.That(WorldChecksum.Format(multi), Is.EqualTo(WorldChecksum.Format(single)));
    }

    [Test]
    public void Ticks_OnAnInProcessSystem_IsABuildError()
    {
        var builder = new SimulationBuilder().WithJobs(s_catalog).WithRunDirectory(_directory)
            .AddSystem("host", system => system.Run(_ => { }).Ticks(2));

        Assert.That(() => builder.Build(new World()), Throws.InstanceOf<SimulationBuildException>().With.Message.Contains("only offloaded systems"));
    }

    [Test]
    public void Ticks_BelowOne_IsRejected()
    {
        Assert.That(
            () => new SimulationBuilder().AddSystem("physics", system => system.Ticks(0)),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private async Task<UInt128> RunAsync(StorageMode storage, int frames, int ticksPerFrame, int slots)
    {
        var world = new World();
        var builder = new SimulationBuilder().WithJobs(s_catalog).WithRunDirectory(_directory).WithStorage(storage)
            .WithExecutor(new ParallelExecutor(slots));
        using var simulation = new ParticlesModule().Build(builder, world, ModuleContext.For(new ParticlesModule(), Seed, Entities, ticksPerFrame: ticksPerFrame));
        for (var frame = 0; frame < frames; frame++)
        {
            var stats = await simulation.RunFrameAsync(Dt, frame * ticksPerFrame * Dt);
            Assert.That(stats.HasFailures, Is.False);
        }

        return WorldChecksum.Compute(world, ParticlesModule.ParticleComponents);
    }

    /// <summary>Runs ranges in-process on the thread pool, several at once, like a pool of workers.</summary>
    private sealed class ParallelExecutor(int slots) : IRangeExecutor
    {
        private readonly InProcessRangeExecutor _inner = new(s_catalog);

        public int ParallelSlots => slots;

        public async ValueTask<RangeOutcome> RunAsync(SharedSegment segment, JobRange range, bool mayBlockCaller, CancellationToken cancellationToken) =>
            await Task.Run(() => _inner.RunAsync(segment, range, mayBlockCaller, cancellationToken).AsTask(), cancellationToken);
    }
}
