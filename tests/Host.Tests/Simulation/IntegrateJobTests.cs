using SimHost.Host.Ecs;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;

namespace SimHost.Tests.Host.Simulation;

/// <summary>
/// The offloaded <c>physics.integrate</c> system gives the plain loop's positions in every storage mode, including a
/// world too big for the last-level cache, which takes the streaming-store paths (the job's out-of-place writes in
/// shared storage, the snapshot's copies in and the commit's copies back).
/// </summary>
public sealed class IntegrateJobTests
{
    private const int Entities = 2500;
    private const int Frames = 12;
    private const int CacheOutgrowingFrames = 3;
    private const float Dt = 1f / 64f;

    // Position and Velocity are 24 bytes a row: this many rows outgrow the cache in both storage modes.
    private static readonly int s_cacheOutgrowingEntities = (int)Math.Min((LastLevelCache.SizeBytes / 24) + 65_536 + 7, 12_000_000);

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
        var (world, particles, expected, velocities) = Seeded(Entities);

        await RunFramesAsync(world, storage, ticks, Frames);
        PlainLoop(expected, velocities, Frames * ticks);

        Assert.That(particles.Select(p => world.Get<Position>(p)), Is.EqualTo(expected));
        Assert.That(particles.Select(p => world.Get<Velocity>(p)), Is.EqualTo(velocities), "integration only reads velocities");
    }

    [TestCase(StorageMode.Shared)]
    [TestCase(StorageMode.Snapshot)]
    public async Task AFrameBiggerThanTheCache_GivesThePlainLoopsValues(StorageMode storage)
    {
        if (!LastLevelCache.IsOutgrownBy(24L * s_cacheOutgrowingEntities))
        {
            Assert.Ignore($"A {LastLevelCache.SizeBytes}-byte last-level cache is too big to outgrow with the {s_cacheOutgrowingEntities} rows this test allows.");
        }

        var (world, particles, expected, velocities) = Seeded(s_cacheOutgrowingEntities);

        await RunFramesAsync(world, storage, ticks: 1, CacheOutgrowingFrames);
        PlainLoop(expected, velocities, CacheOutgrowingFrames);

        var mismatches = 0;
        for (var i = 0; i < particles.Length; i++)
        {
            var (p, v) = (world.Get<Position>(particles[i]), world.Get<Velocity>(particles[i]));
            if (!Same(p.X, expected[i].X) || !Same(p.Y, expected[i].Y) || !Same(p.Z, expected[i].Z)
                || !Same(v.X, velocities[i].X) || !Same(v.Y, velocities[i].Y) || !Same(v.Z, velocities[i].Z))
            {
                mismatches++;
            }
        }

        Assert.That(mismatches, Is.Zero, $"rows differing from the plain loop among {particles.Length}");
    }

    private static (World World, Entity[] Particles, Position[] Positions, Velocity[] Velocities) Seeded(int entities)
    {
        var world = new World();
        var particles = ParticlesModule.Seed(world, entities, seed: 5, PhysicsParameters.Default);
        var positions = particles.Select(p => world.Get<Position>(p)).ToArray();
        var velocities = particles.Select(p => world.Get<Velocity>(p)).ToArray();
        return (world, particles, positions, velocities);
    }

    private async Task RunFramesAsync(World world, StorageMode storage, int ticks, int frames)
    {
        var builder = new SimulationBuilder()
            .WithJobs(JobCatalog.FromAssemblies([typeof(IntegrateJob).Assembly]))
            .WithRunDirectory(_directory)
            .WithStorage(storage)
            .AddSystem("integrate", system => system.Writes<Position>().Reads<Velocity>().Offload(IntegrateJob.JobName).Ticks(ticks));

        using var simulation = builder.Build(world);
        for (var frame = 0; frame < frames; frame++)
        {
            var stats = await simulation.RunFrameAsync(Dt, frame * Dt);
            Assert.That(stats.HasFailures, Is.False);
        }
    }

    // The baseline's arithmetic, step by step: Position += Velocity × dt.
    private static void PlainLoop(Position[] positions, Velocity[] velocities, int steps)
    {
        for (var step = 0; step < steps; step++)
        {
            for (var i = 0; i < positions.Length; i++)
            {
                var (p, v) = (positions[i], velocities[i]);
                positions[i] = new Position(p.X + (v.X * Dt), p.Y + (v.Y * Dt), p.Z + (v.Z * Dt));
            }
        }
    }

    private static bool Same(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b);
}
