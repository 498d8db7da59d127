using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Offload;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;

namespace SimHost.Tests.Host.Simulation;

public sealed class ParticleScenarioTests
{
    private const int Entities = 3000;
    private const int Frames = 20;
    private const ulong Seed = 42;
    private const double Dt = 1.0 / 60;

    private static readonly JobCatalog s_catalog = JobCatalog.FromAssemblies([typeof(PhysicsStepJob).Assembly]);

    private RunDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _directory.Dispose();

    /// <summary>Runs ranges in-process, several at once on the thread pool, like a pool of workers would.</summary>
    private sealed class ParallelInProcessExecutor(int slots) : IRangeExecutor
    {
        private readonly InProcessRangeExecutor _inner = new(s_catalog);

        public int ParallelSlots => slots;

        public async ValueTask<RangeOutcome> RunAsync(SharedSegment segment, JobRange range, bool mayBlockCaller, CancellationToken cancellationToken) =>
            await Task.Run(() => _inner.RunAsync(segment, range, mayBlockCaller, cancellationToken).AsTask(), cancellationToken);
    }

    private async Task<UInt128> RunScenarioAsync(IRangeExecutor? executor)
    {
        var world = new World();
        var builder = new SimulationBuilder().WithJobs(s_catalog).WithRunDirectory(_directory);
        if (executor is not null)
        {
            builder.WithExecutor(executor);
        }

        using var simulation = new ParticlesModule().Build(builder, world, ModuleContext.For(new ParticlesModule(), Seed, Entities));
        for (var frame = 0; frame < Frames; frame++)
        {
            var stats = await simulation.RunFrameAsync(Dt, frame * Dt);
            Assert.That(stats.HasFailures, Is.False);
        }

        return WorldChecksum.Compute(world, ParticlesModule.ParticleComponents);
    }

    private static UInt128 ReferenceChecksum()
    {
        var parameters = PhysicsParameters.Default;
        var positions = new Position[Entities];
        var velocities = new Velocity[Entities];
        ParticlesModule.Fill(positions, velocities, Seed, parameters);
        var words = new ulong[(Entities + 63) / 64];
        for (var frame = 0; frame < Frames; frame++)
        {
            ParticleStep.Run(positions, velocities, words, (float)Dt, parameters);
        }

        // The same entities (same handles) holding the reference's values.
        var world = new World();
        ParticlesModule.Seed(world, Entities, Seed, parameters);
        var archetype = world.Query().All<Position, Velocity>().Archetypes[0];
        positions.CopyTo(archetype.GetSpan<Position>());
        velocities.CopyTo(archetype.GetSpan<Velocity>());
        return WorldChecksum.Compute(world, ParticlesModule.ParticleComponents);
    }

    [Test]
    public async Task InProcessRun_MatchesParticleStepOverPlainArrays()
    {
        var checksum = await RunScenarioAsync(executor: null);

        Assert.That(WorldChecksum.Format(checksum), Is.EqualTo(WorldChecksum.Format(ReferenceChecksum())));
    }

    [Test]
    public async Task Checksum_IsTheSameForAnyNumberOfParallelSlots()
    {
        var one = await RunScenarioAsync(executor: null);
        var four = await RunScenarioAsync(new ParallelInProcessExecutor(4));
        var seven = await RunScenarioAsync(new ParallelInProcessExecutor(7));

        Assert.That(four, Is.EqualTo(one));
        Assert.That(seven, Is.EqualTo(one));
    }

    [Test]
    public void Seed_IsDeterministic_AndInsideTheBox()
    {
        var a = new World();
        var b = new World();
        ParticlesModule.Seed(a, 500, 7, PhysicsParameters.Default);
        ParticlesModule.Seed(b, 500, 7, PhysicsParameters.Default);
        var c = new World();
        ParticlesModule.Seed(c, 500, 8, PhysicsParameters.Default);

        var positions = a.Query().All<Position>().Archetypes[0].GetSpan<Position>().ToArray();
        Assert.That(WorldChecksum.Compute(a), Is.EqualTo(WorldChecksum.Compute(b)));
        Assert.That(WorldChecksum.Compute(c), Is.Not.EqualTo(WorldChecksum.Compute(a)));
        Assert.That(positions.All(p => p.X is >= 0f and < 100f && p.Y is >= 0f and < 100f && p.Z is >= 0f and < 100f), Is.True);
    }

    [Test]
    public void Checksum_ChangesWhenOneComponentByteChanges()
    {
        var world = new World();
        var entities = ParticlesModule.Seed(world, 10, 1, PhysicsParameters.Default);
        var before = WorldChecksum.Compute(world);

        world.Get<Velocity>(entities[9]).Z += 1f;

        Assert.That(WorldChecksum.Compute(world), Is.Not.EqualTo(before));
        Assert.That(WorldChecksum.Format(before), Has.Length.EqualTo(32));
    }
}
