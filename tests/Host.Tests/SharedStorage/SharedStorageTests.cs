using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Offload;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Tests.Host.Offload;
using SimHost.Tests.Host.Workers;

namespace SimHost.Tests.Host.SharedStorage;

public sealed class SharedStorageTests
{
    private const int Entities = 3000;
    private const int Frames = 12;
    private const ulong Seed = 42;
    private const double Dt = 1.0 / 60;

    private RunDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _directory.Dispose();

    /// <summary>Runs ranges in-process, several at once on the thread pool, like a pool of workers would.</summary>
    private sealed class ParallelInProcessExecutor(int slots) : IRangeExecutor
    {
        private readonly InProcessRangeExecutor _inner = new(OffloadTestSupport.Catalog);

        public int ParallelSlots => slots;

        public async ValueTask<RangeOutcome> RunAsync(SharedSegment segment, JobRange range, bool mayBlockCaller, CancellationToken cancellationToken) =>
            await Task.Run(() => _inner.RunAsync(segment, range, mayBlockCaller, cancellationToken).AsTask(), cancellationToken);
    }

    /// <summary>The particle scenario, with archetype moves, deaths and births between frames when <paramref name="churn"/>.</summary>
    private static async Task<UInt128> RunParticlesAsync(StorageMode storage, IRangeExecutor? executor, RunDirectory directory, bool churn = false)
    {
        var world = new World();
        var builder = new SimulationBuilder().WithJobs(OffloadTestSupport.Catalog).WithRunDirectory(directory).WithStorage(storage);
        if (executor is not null)
        {
            builder.WithExecutor(executor);
        }

        var simulation = new ParticlesModule().Build(builder, world, ModuleContext.For(new ParticlesModule(), Seed, Entities));
        var entities = world.Query().All<Position, Velocity>().Archetypes[0].Entities.ToArray();
        using (simulation)
        {
            for (var frame = 0; frame < Frames; frame++)
            {
                var stats = await simulation.RunFrameAsync(Dt, frame * Dt);
                Assert.That(stats.HasFailures, Is.False);
                if (churn && frame % 3 == 1)
                {
                    Churn(world, entities, frame);
                }
            }
        }

        // Disposing moved shared columns back into managed memory: the world is still readable.
        return WorldChecksum.Compute(world, ParticlesModule.ParticleComponents);
    }

    private static void Churn(World world, Entity[] entities, int frame)
    {
        for (var i = frame; i < entities.Length; i += 5)
        {
            var entity = entities[i];
            if (!world.IsAlive(entity))
            {
                continue;
            }

            if (i % 4 == 0)
            {
                world.Destroy(entity);
            }
            else if (world.Has<Marked>(entity))
            {
                world.Remove<Marked>(entity);
            }
            else
            {
                world.Add(entity, new Marked((byte)frame));
            }
        }

        for (var i = 0; i < 40; i++)
        {
            world.Create(new Position(i, frame, 1), new Velocity(frame, -i, 2));
        }
    }

    [Test]
    public async Task SharedStorage_InProcess_GivesTheSnapshotChecksum()
    {
        var snapshot = await RunParticlesAsync(StorageMode.Snapshot, null, _directory);
        var shared = await RunParticlesAsync(StorageMode.Shared, null, _directory);
        var sharedParallel = await RunParticlesAsync(StorageMode.Shared, new ParallelInProcessExecutor(3), _directory);

        Assert.That(shared, Is.EqualTo(snapshot));
        Assert.That(sharedParallel, Is.EqualTo(snapshot));
    }

    [Test]
    public async Task SharedStorage_EntitiesMovingBetweenArchetypes_GiveTheSnapshotChecksum()
    {
        var snapshot = await RunParticlesAsync(StorageMode.Snapshot, new ParallelInProcessExecutor(2), _directory, churn: true);
        var shared = await RunParticlesAsync(StorageMode.Shared, new ParallelInProcessExecutor(2), _directory, churn: true);

        Assert.That(shared, Is.EqualTo(snapshot));
    }

    [Test]
    public async Task SharedStorage_WithWorkerProcesses_GivesTheSnapshotChecksum()
    {
        await using var environment = new WorkerTestEnvironment();
        var pool = await environment.StartPoolAsync(2);
        var snapshot = await RunParticlesAsync(StorageMode.Snapshot, pool, environment.RunDirectory, churn: true);
        var shared = await RunParticlesAsync(StorageMode.Shared, pool, environment.RunDirectory, churn: true);

        Assert.That(shared, Is.EqualTo(snapshot));
    }

    [Test]
    public async Task SharedStorage_InPlaceJob_GetsLiveValuesInItsScratch()
    {
        var world = new World();
        var entities = OffloadTestSupport.CreateHeated(world, 300, rate: 2);
        using var simulation = new SimulationBuilder().WithJobs(OffloadTestSupport.Catalog).WithRunDirectory(_directory)
            .WithStorage(StorageMode.Shared).WithExecutor(new ParallelInProcessExecutor(2))
            .AddSystem("heat", system => system.Writes<Heat>().Reads<Rate>().Offload(HeatJob.JobName))
            .Build(world);

        for (var frame = 0; frame < 3; frame++)
        {
            Assert.That((await simulation.RunFrameAsync(Dt, frame * Dt)).HasFailures, Is.False);
        }

        Assert.That(OffloadTestSupport.HeatOf(world, entities), Is.EqualTo(Enumerable.Range(0, 300).Select(i => i + 6).ToArray()));
    }

    [TestCase(StorageMode.Shared)]
    [TestCase(StorageMode.Snapshot)]
    public async Task AJobWritingAComponentItsSystemOnlyReads_IsRefused_AndTheComponentKeepsItsValues(StorageMode storage)
    {
        var world = new World();
        var entities = OffloadTestSupport.CreateHeated(world, 100, rate: 2);
        var sink = new CollectingLogger();
        var logger = sink;
        using var simulation = new SimulationBuilder().WithJobs(OffloadTestSupport.Catalog).WithRunDirectory(_directory)
            .WithStorage(storage).WithExecutorRetries(0).WithInProcessFallback(false).WithLogger(logger)
            .AddSystem("heat", system => system.Writes<Heat>().Reads<Rate>().Offload(WritesItsInputJob.JobName))
            .Build(world);

        var stats = await simulation.RunFrameAsync(Dt, 0);

        Assert.That(stats.HasFailures, Is.True, "the write must be refused, not discarded");
        Assert.That(sink.Lines, Has.Some.Contains("only reads"), "the range fails with the job context's refusal");
        Assert.That(entities.Select(e => world.Get<Rate>(e).Value), Has.All.EqualTo(2));
    }

    [Test]
    public async Task SharedStorage_FailedRange_LeavesItsRowsAndTicksUntouched()
    {
        var world = new World();
        var entities = OffloadTestSupport.CreateHeated(world, 200, rate: 1);
        using var simulation = new SimulationBuilder().WithJobs(OffloadTestSupport.Catalog).WithRunDirectory(_directory)
            .WithStorage(StorageMode.Shared).WithExecutor(new ParallelInProcessExecutor(2))
            .AddSystem("heat", system => system.Writes<Heat>().Reads<Rate>().Offload(HeatOrFailFirstJob.JobName))
            .Build(world);
        var archetype = world.Query().All<Heat, Rate>().Archetypes[0];
        var ticksBefore = archetype.GetChangedTicks(ComponentType.Of<Heat>().Id).ToArray();

        var stats = await simulation.RunFrameAsync(Dt, 0);

        // 200 rows on two slots: [0, 128) fails on the executor, its retry and in-process; [128, 200) commits.
        var expected = Enumerable.Range(0, 200).Select(i => i < 128 ? i : i + 1).ToArray();
        var ticks = archetype.GetChangedTicks(ComponentType.Of<Heat>().Id).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(stats.HasFailures, Is.True);
            Assert.That(OffloadTestSupport.HeatOf(world, entities), Is.EqualTo(expected));
            Assert.That(ticks[..128], Is.EqualTo(ticksBefore[..128]));
            Assert.That(ticks[128..], Has.All.EqualTo(ticks[128]), "every committed row stamped with the one commit tick");
            Assert.That(ticks[128], Is.GreaterThan(ticksBefore.Max()), "the commit tick is newer than any before");
        });
    }

    [Test]
    public void SharedStorage_ColumnsLiveInTheArchetypeSegment_AndGrowWithTheArchetype()
    {
        var world = new World();
        var entities = OffloadTestSupport.CreateHeated(world, 10);
        var store = new SharedColumnStore(_directory, [ComponentType.Of<Heat>()], new SharedMemoryBudget(1L << 30));
        store.Install(world);
        var archetype = world.Query().All<Heat, Rate>().Archetypes[0];
        var segment = store.SegmentOf(archetype)!;
        var generation = segment.Generation;

        var more = OffloadTestSupport.CreateHeated(world, 500);
        world.Set(entities[3], new Heat(77));
        var pair = segment.PairOf(ComponentType.Of<Heat>().Id);
        var live = segment.Segment!.Column<Heat>(segment.LiveColumn(pair))[..510].ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(segment.Generation, Is.GreaterThan(generation));
            Assert.That(live[3], Is.EqualTo(new Heat(77)));
            Assert.That(live[10 + 499], Is.EqualTo(new Heat(499)));
            Assert.That(store.SegmentOf(world.Query().All<Rate>().Archetypes[0]), Is.SameAs(segment));
        });

        store.Dispose();
        Assert.That(world.Get<Heat>(more[499]), Is.EqualTo(new Heat(499)));
    }

    [Test]
    public void SharedStorage_GrowingPastTheLimit_IsRefusedSayingWhatItHoldsAndWhatItWouldGrowTo()
    {
        var world = new World();
        OffloadTestSupport.CreateHeated(world, 10);
        using var store = new SharedColumnStore(_directory, [ComponentType.Of<Heat>()], new SharedMemoryBudget(16 << 10));
        store.Install(world);

        var refusal = Assert.Throws<SharedMemoryLimitException>(() => OffloadTestSupport.CreateHeated(world, 5000));

        Assert.That(refusal!.Message, Does.Match(@"^Shared storage of Archetype #\d+ .* must grow past its \d+ rows to \d+ rows \(\d+ bytes: an archetype's room doubles as it fills\), but \d+ of the 16384 bytes allowed remain; raise --max-shared-memory or seed fewer entities"));
    }
}

