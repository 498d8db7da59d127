using SimHost.Host.Ecs;
using SimHost.Host.Scenarios;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;

namespace SimHost.Tests.Host.Simulation;

/// <summary>The offloaded <c>physics.integrate</c> system gives the plain loop's positions in every storage mode.</summary>
public sealed class IntegrateJobTests
{
    private const int Entities = 2500;
    private const int Frames = 12;
    private const float Dt = 1f / 64f;

    private RunDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [TestCase(StorageMode.Snapshot, 1)]
    [TestCase(StorageMode.Shared, 1)]
    [TestCase(StorageMode.Shared, 3)]
    public async Task OffloadedIntegrate_MatchesThePlainLoop(StorageMode storage, int ticks)
    {
        var world = new World();
        var particles = ParticleScenario.Seed(world, Entities, seed: 5, PhysicsParameters.Default);
        var expected = particles.Select(p => world.Get<Position>(p)).ToArray();
        var velocities = particles.Select(p => world.Get<Velocity>(p)).ToArray();
        var builder = new SimulationBuilder()
            .WithJobs(JobCatalog.FromAssemblies([typeof(IntegrateJob).Assembly]))
            .WithRunDirectory(_directory)
            .WithStorage(storage)
            .AddSystem("integrate", system => system.Writes<Position>().Reads<Velocity>().Offload(IntegrateJob.JobName).Ticks(ticks));

        using (var simulation = builder.Build(world))
        {
            for (var frame = 0; frame < Frames; frame++)
            {
                var stats = await simulation.RunFrameAsync(Dt, frame * Dt);
                Assert.That(stats.HasFailures, Is.False);
            }
        }

        for (var step = 0; step < Frames * ticks; step++)
        {
            for (var i = 0; i < expected.Length; i++)
            {
                var (p, v) = (expected[i], velocities[i]);
                expected[i] = new Position(p.X + (v.X * Dt), p.Y + (v.Y * Dt), p.Z + (v.Z * Dt));
            }
        }

        Assert.That(particles.Select(p => world.Get<Position>(p)), Is.EqualTo(expected));
        Assert.That(particles.Select(p => world.Get<Velocity>(p)), Is.EqualTo(velocities), "integration only reads velocities");
    }
}
