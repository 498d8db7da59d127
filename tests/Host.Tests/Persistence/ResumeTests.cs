using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Persistence;
using SimHost.Host.Scheduling;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Layout.Segments;
using SimHost.Physics;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// A simulation checkpointed after frame k and resumed in a fresh world and simulation ends with the checksum of
/// the run that never stopped, for every k, both storage modes, and a world that creates, destroys and filters on
/// changes (so the entity table, free list, changed ticks and system cursors all matter).
/// </summary>
public sealed class ResumeTests
{
    private const int Frames = 12;
    private const double Dt = 1.0 / 64;
    private RunDirectory _runDirectory = null!;
    private string _checkpoints = null!;

    [SetUp]
    public void SetUp()
    {
        _runDirectory = RunDirectory.Create(Path.GetTempPath());
        _checkpoints = Path.Combine(Path.GetTempPath(), $"simhost-resume-{Guid.NewGuid():N}");
    }

    [TearDown]
    public void TearDown()
    {
        _runDirectory.Dispose();
        if (Directory.Exists(_checkpoints))
        {
            Directory.Delete(_checkpoints, recursive: true);
        }
    }

    [Test]
    public async Task Particles_ResumedAtAnyFrame_EndWithTheUninterruptedChecksum(
        [Values(StorageMode.Snapshot, StorageMode.Shared)] StorageMode storage, [Values(0, 1, 5, 11)] int killedAfter)
    {
        var module = new ParticlesModule();
        var context = ModuleContext.For(module, seed: 3, entities: 2_000);
        var expected = await RunAsync(module, context, storage, resumeFrom: null, checkpointAfter: -1);
        var resumed = await RunAsync(module, context, storage, resumeFrom: null, checkpointAfter: killedAfter);
        var final = await RunAsync(module, context, storage, resumeFrom: Path.Combine(_checkpoints, "k"), checkpointAfter: -1);

        Assert.That(resumed, Is.EqualTo(expected), "the checkpointing run itself");
        Assert.That(final, Is.EqualTo(expected));
    }

    [Test]
    public async Task ChurningWorld_ResumedAtAnyFrame_EndsWithTheUninterruptedChecksum(
        [Values(StorageMode.Snapshot, StorageMode.Shared)] StorageMode storage, [Values(1, 4, 7)] int killedAfter)
    {
        var module = new ChurnModule();
        var context = ModuleContext.For(module, seed: 9, entities: 500);
        var expected = await RunAsync(module, context, storage, resumeFrom: null, checkpointAfter: -1);
        await RunAsync(module, context, storage, resumeFrom: null, checkpointAfter: killedAfter);
        var final = await RunAsync(module, context, storage, resumeFrom: Path.Combine(_checkpoints, "k"), checkpointAfter: -1);

        Assert.That(final, Is.EqualTo(expected));
    }

    [Test]
    public async Task StartupSystems_RunInTheFirstFrameOnly_NotAgainAfterAResume([Values(0, 3)] int killedAfter, [Values(false, true)] bool fromStream)
    {
        // A Startup system that creates entities and counts its runs: run again after a resume, both would show. (The
        // stage is the schedule's: no executor or storage mode takes part in it, and this module offloads nothing.)
        var storage = StorageMode.Snapshot;
        var module = new StartupModule();
        var context = ModuleContext.For(module, seed: 2, entities: 10);
        var expected = await RunAsync(module, context, storage, resumeFrom: null, checkpointAfter: -1);
        using var stream = new MemoryStream();
        await RunAsync(module, context, storage, resumeFrom: null, checkpointAfter: killedAfter, stream: fromStream ? stream : null);
        stream.Position = 0;
        var final = fromStream
            ? await RunAsync(module, context, storage, resumeFrom: null, checkpointAfter: -1, stream: stream, resumeFromStream: true)
            : await RunAsync(module, context, storage, resumeFrom: Path.Combine(_checkpoints, "k"), checkpointAfter: -1);

        Assert.That(final, Is.EqualTo(expected));
    }

    [Test]
    public void WorldCheckpoint_StreamAndDirectory_RoundTripEveryEntityAndTick()
    {
        var world = new World();
        new ChurnModule().Seed(world, ModuleContext.For(new ChurnModule(), seed: 4, entities: 300));
        for (var i = 0; i < 300; i += 3)
        {
            world.Destroy(new Entity(i, 1));
        }

        world.AdvanceTick();
        var expected = WorldChecksum.Compute(world);
        using var stream = new MemoryStream();
        WorldCheckpoint.Save(world, stream);
        WorldCheckpoint.Save(world, _checkpoints);
        stream.Position = 0;
        var fromStream = new World();
        WorldCheckpoint.Load(stream, fromStream);
        var fromDirectory = new World();
        WorldCheckpoint.Load(_checkpoints, fromDirectory);

        var tick = world.ChangeTick;
        var next = world.Create();
        foreach (var loaded in new[] { fromStream, fromDirectory })
        {
            Assert.That(WorldChecksum.Compute(loaded), Is.EqualTo(expected));
            Assert.That(loaded.ChangeTick, Is.EqualTo(tick));
            Assert.That(loaded.Create(), Is.EqualTo(next), "the next entity reuses the same free slot");
        }
    }

    [Test]
    public void Load_IntoAWorldWithEntities_IsRefused()
    {
        var world = new World();
        world.Create(new ChurnModule.Energy(1));
        WorldCheckpoint.Save(world, _checkpoints);

        var exception = Assert.Throws<CheckpointException>(() => WorldCheckpoint.Load(_checkpoints, world));
        Assert.That(exception!.Error, Is.EqualTo(CheckpointError.WorldNotEmpty));
    }

    [Test]
    public async Task Stream_ResumedWithTwoThreadsAndThreeTicks_EndsWithTheUninterruptedChecksum([Values(StorageMode.Snapshot, StorageMode.Shared)] StorageMode storage)
    {
        var module = new ParticlesModule();
        var context = ModuleContext.For(module, seed: 5, entities: 3_000, ticksPerFrame: 3);
        var expected = await RunAsync(module, context, storage, resumeFrom: null, checkpointAfter: -1, threads: 2);
        using var stream = new MemoryStream();
        await RunAsync(module, context, storage, resumeFrom: null, checkpointAfter: 4, threads: 2, stream);
        stream.Position = 0;
        var final = await RunAsync(module, context, storage, resumeFrom: null, checkpointAfter: -1, threads: 2, stream, resumeFromStream: true);

        Assert.That(final, Is.EqualTo(expected));
    }

    [Test]
    public async Task ResumedSimulation_ContinuesFromTheFrameAfterTheCheckpoint()
    {
        var module = new ChurnModule();
        var context = ModuleContext.For(module, seed: 2, entities: 100);
        await RunAsync(module, context, StorageMode.Shared, resumeFrom: null, checkpointAfter: 4);
        using var simulation = module.Resume(new SimulationBuilder().WithRunDirectory(_runDirectory), new World(), context, Path.Combine(_checkpoints, "k"));

        Assert.That(simulation.FrameCount, Is.EqualTo(5), "frames 0 to 4 ran before the checkpoint");
    }

    [Test]
    public async Task CheckpointSavedRightAfterAResume_KeepsTheSimulatedTime()
    {
        var module = new ChurnModule();
        var context = ModuleContext.For(module, seed: 2, entities: 100);
        await RunAsync(module, context, StorageMode.Shared, resumeFrom: null, checkpointAfter: 4);
        var first = Path.Combine(_checkpoints, "k");
        var again = Path.Combine(_checkpoints, "again");
        using (var simulation = module.Resume(new SimulationBuilder().WithRunDirectory(_runDirectory), new World(), context, first))
        {
            simulation.SaveCheckpoint(again);
        }

        Assert.That(CheckpointFiles.ReadManifest(again).Simulation!.TimeSeconds, Is.EqualTo(CheckpointFiles.ReadManifest(first).Simulation!.TimeSeconds).And.EqualTo(5 * Dt));
    }

    [Test]
    public void WorldSavedAlone_IsRefusedAsASimulationCheckpoint_SayingWhatToDo()
    {
        var world = new World();
        new ChurnModule().Seed(world, ModuleContext.For(new ChurnModule(), seed: 4, entities: 30));
        WorldCheckpoint.Save(world, _checkpoints);
        var module = new ChurnModule();

        var exception = Assert.Throws<CheckpointException>(() => module.Resume(new SimulationBuilder().WithRunDirectory(_runDirectory), new World(), ModuleContext.For(module), _checkpoints));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Error, Is.EqualTo(CheckpointError.OtherSimulation));
            Assert.That(exception.Message, Does.Contain("load it with WorldCheckpoint.Load and build a new simulation on it, or save with SimulationRunner.SaveCheckpoint"));
        });
    }

    [Test]
    public async Task CheckpointOfOtherSystems_IsRefused()
    {
        var module = new ChurnModule();
        var context = ModuleContext.For(module, seed: 2, entities: 100);
        await RunAsync(module, context, StorageMode.Shared, resumeFrom: null, checkpointAfter: 1);
        var builder = new SimulationBuilder().WithRunDirectory(_runDirectory).AddSystem("another", s => s.Reads<ChurnModule.Energy>().Run(_ => { }));

        var world = new World();

        var exception = Assert.Throws<CheckpointException>(() => module.Resume(builder, world, context, Path.Combine(_checkpoints, "k")));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Error, Is.EqualTo(CheckpointError.OtherSimulation));
            Assert.That(world.IsPristine, Is.True, "refused before anything was loaded (docs/checkpoints.md, Reading rules)");
        });
    }

    [Test]
    public void ModuleBuild_OnAWorldThatIsNotEmpty_IsRefused()
    {
        var module = new ChurnModule();
        var world = new World();
        world.Create(new ChurnModule.Energy(1));

        var exception = Assert.Throws<ArgumentException>(() => module.Build(new SimulationBuilder().WithRunDirectory(_runDirectory), world, ModuleContext.For(module)));

        Assert.That(exception!.Message, Does.StartWith("Module 'churn': Build seeds the world, which must be new and empty"));
    }

    [Test]
    public void SaveCheckpoint_WhereAFileIs_IsUnwritable()
    {
        File.WriteAllText(_checkpoints, "a file");
        try
        {
            var module = new ChurnModule();
            using var simulation = module.Build(new SimulationBuilder().WithRunDirectory(_runDirectory), new World(), ModuleContext.For(module, entities: 10));

            var exception = Assert.Throws<CheckpointException>(() => simulation.SaveCheckpoint(_checkpoints));

            Assert.That(exception!.Error, Is.EqualTo(CheckpointError.Unwritable));
        }
        finally
        {
            File.Delete(_checkpoints);
        }
    }

    // Through the public API only: SimulationRunner.SaveCheckpoint after frame checkpointAfter, SimulationModule.Resume.
    private async Task<string> RunAsync(
        SimulationModule module, ModuleContext context, StorageMode storage, string? resumeFrom, int checkpointAfter, int threads = 1, Stream? stream = null, bool resumeFromStream = false)
    {
        var builder = new SimulationBuilder().WithStorage(storage).WithRunDirectory(_runDirectory).WithThreads(threads);
        var world = new World();
        SimulationRunner simulation;
        if (resumeFromStream)
        {
            builder.WithJobs(module.LoadJobs());
            module.AddSystems(builder, context);
            simulation = builder.BuildFromCheckpoint(world, stream!);
        }
        else
        {
            simulation = resumeFrom is null ? module.Build(builder, world, context) : module.Resume(builder, world, context, resumeFrom);
        }

        using (simulation)
        {
            for (var frame = simulation.FrameCount; frame < Frames; frame++)
            {
                var stats = await simulation.RunFrameAsync(Dt, frame * context.TicksPerFrame * Dt);
                Assert.That(stats.HasFailures, Is.False, string.Join("; ", stats.Failures.Values.Select(e => e.Message)));
                if (frame == checkpointAfter)
                {
                    if (stream is not null)
                    {
                        simulation.SaveCheckpoint(stream);
                    }
                    else
                    {
                        simulation.SaveCheckpoint(Path.Combine(_checkpoints, "k"));
                    }
                }
            }

            return WorldChecksum.Format(module.Checksum(world));
        }
    }

    /// <summary>One counter entity; a Startup system counts its runs and creates entities, an Update system counts frames.</summary>
    private sealed class StartupModule : SimulationModule
    {
        public override string Name => "startup";

        public override IReadOnlyList<ComponentType> ChecksumComponents => [ComponentType.Of<Runs>(), ComponentType.Of<ChurnModule.Energy>()];

        public override void Seed(World world, ModuleContext context) => world.Create(new Runs(0, 0));

        public override void AddSystems(SimulationBuilder builder, ModuleContext context) => builder
            .AddSystem("boot", s => s.Writes<Runs>().InStage(StageNames.Startup).Run(run =>
            {
                foreach (var chunk in run.Query.Chunks())
                {
                    foreach (ref var runs in chunk.Span<Runs>())
                    {
                        runs = runs with { Startups = runs.Startups + 1 };
                    }
                }

                for (var i = 0; i < 5; i++)
                {
                    var born = run.Commands.Create();
                    run.Commands.Add(born, new ChurnModule.Energy(i));
                }
            }))
            .AddSystem("count", s => s.Writes<Runs>().Run(run =>
            {
                foreach (var chunk in run.Query.Chunks())
                {
                    foreach (ref var runs in chunk.Span<Runs>())
                    {
                        runs = runs with { Frames = runs.Frames + 1 };
                    }
                }
            }));

        public readonly record struct Runs(int Startups, int Frames);
    }
}

