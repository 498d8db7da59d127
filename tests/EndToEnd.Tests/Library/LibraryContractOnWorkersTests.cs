using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Tests.EndToEnd.Support;

namespace SimHost.Tests.EndToEnd.Library;

/// <summary>
/// This round's library promises on real workers (1 and 2), both storage modes and 1 and 3 ticks per frame, against
/// the in-process run: a frame whose token is cancelled while it runs completes and kills no worker (contract rule
/// 13); a simulation saved mid-run and resumed in a new world, a second simulation on the same pool and run directory,
/// ends with the uninterrupted checksum; an empty world runs.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LibraryContractOnWorkersTests
{
    private const int Frames = 6;
    private const double Dt = 1.0 / 64;
    private PoolEnvironment _environment = null!;
    private string _checkpoint = null!;

    [SetUp]
    public void SetUp()
    {
        _environment = new PoolEnvironment();
        _checkpoint = Path.Combine(Path.GetTempPath(), $"simhost-library-{Guid.NewGuid():N}");
    }

    [TearDown]
    public async Task TearDown()
    {
        await _environment.DisposeAsync();
        if (Directory.Exists(_checkpoint))
        {
            Directory.Delete(_checkpoint, recursive: true);
        }
    }

    [Test]
    public async Task CancelledMidFrame_SavedAndResumed_AndEmpty_GiveTheInProcessAnswer(
        [Values(1, 2)] int workers, [Values(StorageMode.Shared, StorageMode.Snapshot)] StorageMode storage, [Values(1, 3)] int ticks)
    {
        var pool = await _environment.StartPoolAsync(workers, TimeSpan.FromSeconds(60));
        var module = new ParticlesModule();
        var context = ModuleContext.For(module, seed: 4, entities: 5_000, ticksPerFrame: ticks);
        SimulationBuilder Builder(bool onWorkers) =>
            (onWorkers ? new SimulationBuilder().WithExecutor(pool) : new SimulationBuilder()).WithStorage(storage).WithRunDirectory(_environment.RunDirectory);

        var expected = await RunAsync(module, Builder(onWorkers: false), context, checkpointAfter: -1, cancelDuring: -1);

        // The run that saves after frame 2 also has frame 1's token cancelled while the frame runs.
        var saving = await RunAsync(module, Builder(onWorkers: true), context, checkpointAfter: 2, cancelDuring: 1);
        var world = new World();
        string resumed;
        var resuming = Builder(onWorkers: true).AddSystem("cancel", system => system.Writes<Position>().Run(_ => { }));
        using (var simulation = module.Resume(resuming, world, context, _checkpoint))
        {
            Assert.That(simulation.FrameCount, Is.EqualTo(3));
            for (var frame = simulation.FrameCount; frame < Frames; frame++)
            {
                var stats = await HangGuard.Within(simulation.RunFrameAsync(Dt, frame * ticks * Dt).AsTask(), $"resumed frame {frame}");
                Assert.That(stats.HasFailures, Is.False, string.Join("; ", stats.Failures.Values.Select(e => e.Message)));
            }

            resumed = WorldChecksum.Format(module.Checksum(world));
        }

        var empty = ModuleContext.For(module, seed: 4, entities: 0, ticksPerFrame: ticks);
        var emptyOnWorkers = await RunAsync(module, Builder(onWorkers: true), empty, checkpointAfter: -1, cancelDuring: -1);
        var emptyInProcess = await RunAsync(module, Builder(onWorkers: false), empty, checkpointAfter: -1, cancelDuring: -1);

        Assert.Multiple(() =>
        {
            Assert.That(saving, Is.EqualTo(expected), "the run whose frame 1 was cancelled while it ran");
            Assert.That(resumed, Is.EqualTo(expected), "resumed after frame 2 in a new world");
            Assert.That(pool.RestartCount, Is.Zero, "a cancelled frame kills no worker");
            Assert.That(emptyOnWorkers, Is.EqualTo(emptyInProcess), "no entities");
        });
    }

    private async Task<string> RunAsync(ParticlesModule module, SimulationBuilder builder, ModuleContext context, int checkpointAfter, int cancelDuring)
    {
        var cancellation = new CancellationTokenSource();
        var frame = 0L;

        // Writes Position, so it runs in the level before the offloaded step: the token is cancelled while the frame runs.
        builder.AddSystem("cancel", system => system.Writes<Position>().Run(_ =>
        {
            if (frame == cancelDuring)
            {
                cancellation.Cancel();
            }
        }));
        var world = new World();
        using var simulation = module.Build(builder, world, context);
        try
        {
            for (; frame < Frames; frame++)
            {
                var stats = await HangGuard.Within(simulation.RunFrameAsync(Dt, frame * context.TicksPerFrame * Dt, cancellation.Token).AsTask(), $"frame {frame}");
                Assert.That(stats.HasFailures, Is.False, string.Join("; ", stats.Failures.Values.Select(e => e.Message)));
                if (frame == checkpointAfter)
                {
                    simulation.SaveCheckpoint(_checkpoint);
                }

                if (cancellation.IsCancellationRequested)
                {
                    Assert.That(async () => await simulation.RunFrameAsync(Dt, 0, cancellation.Token), Throws.InstanceOf<OperationCanceledException>(), "refused before it starts");
                    cancellation.Dispose();
                    cancellation = new CancellationTokenSource();
                }
            }
        }
        finally
        {
            cancellation.Dispose();
        }

        return WorldChecksum.Format(module.Checksum(world));
    }
}
