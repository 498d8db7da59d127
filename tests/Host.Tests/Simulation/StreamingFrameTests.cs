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

/// <summary>
/// A world too big for the last-level cache takes the streaming-store paths (the integration job's out-of-place
/// writes in shared storage, the snapshot's copies in and the commit's copies back): the values must be exactly those
/// of a plain loop over arrays.
/// </summary>
public sealed class StreamingFrameTests
{
    private const int Frames = 3;
    private const float Dt = 1f / 64f;

    // Position and Velocity are 24 bytes a row: this many rows outgrow the cache in both storage modes.
    private static readonly int s_entities = (int)Math.Min((LastLevelCache.SizeBytes / 24) + 65_536 + 7, 12_000_000);

    private RunDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [TestCase(StorageMode.Shared)]
    [TestCase(StorageMode.Snapshot)]
    public async Task AFrameBiggerThanTheCache_GivesThePlainLoopsValues(StorageMode storage)
    {
        if (!LastLevelCache.IsOutgrownBy(24L * s_entities))
        {
            Assert.Ignore($"A {LastLevelCache.SizeBytes}-byte last-level cache is too big to outgrow with the {s_entities} rows this test allows.");
        }

        var world = new World();
        var entities = ParticleScenario.Seed(world, s_entities, seed: 5, PhysicsParameters.Default);
        using var simulation = new SimulationBuilder()
            .WithRunDirectory(_directory)
            .WithStorage(storage)
            .WithJobs(JobCatalog.FromAssemblies([typeof(IntegrateJob).Assembly]))
            .AddSystem("integrate", system => system.Writes<Position>().Reads<Velocity>().Offload(IntegrateJob.JobName))
            .Build(world);

        for (var frame = 0; frame < Frames; frame++)
        {
            var stats = await simulation.RunFrameAsync(Dt, frame * Dt);
            Assert.That(stats.HasFailures, Is.False);
        }

        var (positions, velocities) = Reference();
        var mismatches = 0;
        for (var i = 0; i < entities.Length; i++)
        {
            var (p, v) = (world.Get<Position>(entities[i]), world.Get<Velocity>(entities[i]));
            if (!Same(p.X, positions[i].X) || !Same(p.Y, positions[i].Y) || !Same(p.Z, positions[i].Z)
                || !Same(v.X, velocities[i].X) || !Same(v.Y, velocities[i].Y) || !Same(v.Z, velocities[i].Z))
            {
                mismatches++;
            }
        }

        Assert.That(mismatches, Is.Zero, $"rows differing from the plain loop among {entities.Length}");
    }

    private static bool Same(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b);

    private static (Position[] Positions, Velocity[] Velocities) Reference()
    {
        var positions = new Position[s_entities];
        var velocities = new Velocity[s_entities];
        ParticleScenario.Fill(positions, velocities, seed: 5, PhysicsParameters.Default);
        for (var frame = 0; frame < Frames; frame++)
        {
            for (var i = 0; i < positions.Length; i++)
            {
                var (p, v) = (positions[i], velocities[i]);
                positions[i] = new Position(p.X + (v.X * Dt), p.Y + (v.Y * Dt), p.Z + (v.Z * Dt));
            }
        }

        return (positions, velocities);
    }
}
