using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Physics.Grid;
using SimHost.Physics.Jobs;

namespace SimHost.Tests.Host.Physics;

public sealed class GridForcesTests
{
    private const int Entities = 3000;
    private const float Dt = 1f / 64f;
    private static readonly JobCatalog s_catalog = JobCatalog.FromAssemblies([typeof(GridForcesJob).Assembly]);
    private static readonly GridForceParameters s_parameters = GridForceParameters.Default;

    private RunDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public void Apply_PushesTwoCloseParticlesOfATileApart_Symmetrically()
    {
        Position[] positions = [new(10f, 10f, 10f), new(11f, 10f, 10f), new(50f, 50f, 50f)];
        var velocities = new Velocity[3];
        var words = new ulong[1];

        GridForces.Apply(positions, velocities, velocities, words, Dt, s_parameters);

        Assert.That(velocities[0].X, Is.LessThan(0f));
        Assert.That(velocities[1].X, Is.EqualTo(-velocities[0].X));
        Assert.That(velocities[2], Is.EqualTo(default(Velocity)));
        Assert.That(words[0], Is.EqualTo(0b011UL));
    }

    [Test]
    public void Apply_LeavesParticlesOfDifferentTilesAlone()
    {
        var positions = new Position[GridForces.TileRows + 1];
        positions.AsSpan().Fill(new Position(1f, 2f, 3f));
        positions[GridForces.TileRows - 1] = new Position(1.5f, 2f, 3f);
        positions[GridForces.TileRows] = new Position(1.2f, 2f, 3f);
        var velocities = new Velocity[positions.Length];
        var words = new ulong[2];

        GridForces.Apply(positions, velocities, velocities, words, Dt, s_parameters);

        Assert.That(velocities[GridForces.TileRows], Is.EqualTo(default(Velocity)), "alone in its tile");
        Assert.That(words[1], Is.Zero);
    }

    [Test]
    public void SortByCell_GroupsParticlesByCell_AndKeepsPairsTogether()
    {
        var world = new World();
        ParticlesModule.Seed(world, 500, 3, PhysicsParameters.Default);
        var archetype = world.Query().All<Position, Velocity>().Archetypes[0];
        var positions = archetype.GetSpan<Position>().ToArray();
        var velocities = archetype.GetSpan<Velocity>().ToArray();
        var pairs = positions.Zip(velocities).ToHashSet();

        GridCells.SortByCell(positions, velocities, 10f);

        var cells = positions.Select(p => GridCells.CellOf(p, 10f)).ToArray();
        Assert.That(cells, Is.Ordered);
        Assert.That(positions.Zip(velocities).ToHashSet().SetEquals(pairs), Is.True);
    }

    [Test]
    public async Task Offloaded_IsTheSameForAnyNumberOfSlots_AndMatchesTheKernelOverArrays()
    {
        var one = await RunAsync(slots: 1, frames: 3, ticks: 1);
        var two = await RunAsync(slots: 2, frames: 3, ticks: 1);
        var five = await RunAsync(slots: 5, frames: 3, ticks: 1);
        var multiTick = await RunAsync(slots: 3, frames: 1, ticks: 3);

        var (positions, velocities) = SortedSeed();
        var words = new ulong[(Entities + 63) / 64];
        for (var frame = 0; frame < 3; frame++)
        {
            GridForces.Apply(positions, velocities, velocities, words, Dt, s_parameters);
        }

        Assert.That(two, Is.EqualTo(one));
        Assert.That(five, Is.EqualTo(one));
        Assert.That(multiTick, Is.EqualTo(one));
        Assert.That(one.Velocities, Is.EqualTo(velocities));
        Assert.That(one.Velocities.Count(v => v.X != 0f), Is.GreaterThan(Entities / 10), "sorted particles do meet");
    }

    private static (Position[] Positions, Velocity[] Velocities) SortedSeed()
    {
        var positions = new Position[Entities];
        var velocities = new Velocity[Entities];
        ParticlesModule.Fill(positions, velocities, 11, PhysicsParameters.Default);
        velocities.AsSpan().Clear();
        GridCells.SortByCell(positions, velocities, 10f);
        return (positions, velocities);
    }

    private async Task<Result> RunAsync(int slots, int frames, int ticks)
    {
        var world = new World();
        ParticlesModule.Seed(world, Entities, 11, PhysicsParameters.Default);
        var archetype = world.Query().All<Position, Velocity>().Archetypes[0];
        var (positions, velocities) = SortedSeed();
        positions.CopyTo(archetype.GetSpan<Position>());
        velocities.CopyTo(archetype.GetSpan<Velocity>());
        using var simulation = new SimulationBuilder().WithJobs(s_catalog).WithRunDirectory(_directory).WithExecutor(new ParallelExecutor(slots))
            .AddSystem("forces", system => system.Reads<Position>().Writes<Velocity>().Offload(GridForcesJob.JobName, s_parameters).Ticks(ticks))
            .Build(world);
        for (var frame = 0; frame < frames; frame++)
        {
            var stats = await simulation.RunFrameAsync(Dt, frame * ticks * Dt);
            Assert.That(stats.HasFailures, Is.False);
        }

        return new Result(WorldChecksum.Compute(world, ParticlesModule.ParticleComponents), archetype.GetSpan<Velocity>().ToArray());
    }

    private sealed record Result(UInt128 Checksum, Velocity[] Velocities)
    {
        public bool Equals(Result? other) => other is not null && Checksum == other.Checksum && Velocities.SequenceEqual(other.Velocities);

        public override int GetHashCode() => Checksum.GetHashCode();
    }

    private sealed class ParallelExecutor(int slots) : IRangeExecutor
    {
        private readonly InProcessRangeExecutor _inner = new(s_catalog);

        public int ParallelSlots => slots;

        public async ValueTask<RangeOutcome> RunAsync(SharedSegment segment, JobRange range, bool mayBlockCaller, CancellationToken cancellationToken) =>
            await Task.Run(() => _inner.RunAsync(segment, range, mayBlockCaller, cancellationToken).AsTask(), cancellationToken);
    }
}
