using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Jobs;

namespace SimHost.Tests.Host.Simulation;

/// <summary>A module seeded with no entities (<c>--entities 0</c>) runs its offloaded systems over no rows, in every mode, with one checksum.</summary>
public sealed class EmptyWorldTests
{
    private static readonly JobCatalog s_catalog = JobCatalog.FromAssemblies([typeof(PhysicsStepJob).Assembly]);

    [Test]
    public async Task ZeroParticles_RunInEveryStorageAndThreadCount_WithOneChecksum()
    {
        var checksums = new HashSet<string>();
        foreach (var storage in new[] { StorageMode.Shared, StorageMode.Snapshot })
        {
            foreach (var threads in new[] { 1, 2 })
            {
                using var directory = RunDirectory.Create(Path.GetTempPath());
                var world = new World();
                var builder = new SimulationBuilder().WithJobs(s_catalog).WithRunDirectory(directory).WithStorage(storage).WithThreads(threads);
                var module = new ParticlesModule();
                using var simulation = module.Build(builder, world, ModuleContext.For(module, seed: 1, entities: 0, ticksPerFrame: 2));
                for (var frame = 0; frame < 3; frame++)
                {
                    var stats = await simulation.RunFrameAsync(1.0 / 60, frame / 60.0);
                    Assert.That(stats.HasFailures, Is.False, $"{storage}, {threads} threads: {string.Join("; ", stats.Failures.Values.Select(e => e.Message))}");
                    Assert.That(stats.RowsCommitted, Is.Zero);
                }

                Assert.That(world.EntityCount, Is.Zero);
                checksums.Add(WorldChecksum.Format(module.Checksum(world)));
            }
        }

        Assert.That(checksums, Has.Count.EqualTo(1));
    }
}
