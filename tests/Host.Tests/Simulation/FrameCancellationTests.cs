using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Scheduling;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;

namespace SimHost.Tests.Host.Simulation;

/// <summary>
/// <see cref="SimulationRunner.RunFrameAsync"/>'s token is observed before the frame only: a frame cancelled while it
/// runs still runs every level and commits, in every storage mode and thread count, and one cancelled before it starts
/// runs nothing and is not counted.
/// </summary>
[TestFixture]
public sealed class FrameCancellationTests
{
    private const double Dt = 1.0 / 60;
    private static readonly JobCatalog s_catalog = JobCatalog.FromAssemblies([typeof(PhysicsStepJob).Assembly]);

    [TestCase(StorageMode.Shared, 1)]
    [TestCase(StorageMode.Snapshot, 1)]
    [TestCase(StorageMode.Shared, 2)]
    [TestCase(StorageMode.Snapshot, 2)]
    public async Task TokenCancelledDuringAFrame_TheFrameRunsToItsEnd_AndTheNextIsRefused(StorageMode storage, int threads)
    {
        using var directory = RunDirectory.Create(Path.GetTempPath());
        using var cancellation = new CancellationTokenSource();
        var world = new World();

        // A system that writes Position, added before the module's, runs in the level before the offloaded step.
        var builder = new SimulationBuilder().WithJobs(s_catalog).WithRunDirectory(directory).WithStorage(storage).WithThreads(threads)
            .AddSystem("stop", system => system.Writes<Position>().Run(_ => cancellation.Cancel()));
        using var simulation = new ParticlesModule().Build(builder, world, ModuleContext.For(new ParticlesModule(), seed: 9, entities: 2000));

        var stats = await simulation.RunFrameAsync(Dt, 0, cancellation.Token);
        var checksum = WorldChecksum.Compute(world, ParticlesModule.ParticleComponents);
        var uncancelled = await UncancelledChecksumAsync(storage, threads);

        Assert.Multiple(() =>
        {
            Assert.That(cancellation.IsCancellationRequested, Is.True, "the first level cancelled the token");
            Assert.That(stats.HasFailures, Is.False);
            Assert.That(stats.GetSystem(ParticlesModule.SystemName).Outcome, Is.EqualTo(SystemOutcome.Succeeded), "the offloaded step ran after the cancellation");
            Assert.That(checksum, Is.EqualTo(uncancelled), "the frame committed all it would have");
            Assert.That(simulation.FrameCount, Is.EqualTo(1));
        });

        Assert.That(async () => await simulation.RunFrameAsync(Dt, Dt, cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.Multiple(() =>
        {
            Assert.That(simulation.FrameCount, Is.EqualTo(1), "a frame refused before it started is not counted");
            Assert.That(WorldChecksum.Compute(world, ParticlesModule.ParticleComponents), Is.EqualTo(checksum), "and changed nothing");
        });
    }

    private static async Task<UInt128> UncancelledChecksumAsync(StorageMode storage, int threads)
    {
        using var directory = RunDirectory.Create(Path.GetTempPath());
        var world = new World();
        var builder = new SimulationBuilder().WithJobs(s_catalog).WithRunDirectory(directory).WithStorage(storage).WithThreads(threads)
            .AddSystem("stop", system => system.Writes<Position>().Run(_ => { }));
        using var simulation = new ParticlesModule().Build(builder, world, ModuleContext.For(new ParticlesModule(), seed: 9, entities: 2000));
        await simulation.RunFrameAsync(Dt, 0);
        return WorldChecksum.Compute(world, ParticlesModule.ParticleComponents);
    }
}
