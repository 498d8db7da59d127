using SimHost.Host.Diagnostics;
using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Persistence;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Jobs;
using SimHost.Tests.Host.Persistence;

namespace SimHost.Tests.Host.Diagnostics;

/// <summary>The SimHost meter reports what the frames and the checkpoint writer return: the same numbers, as they happen.</summary>
[TestFixture]
[NonParallelizable]
public sealed class SimHostInstrumentsTests
{
    private const double Dt = 1.0 / 60;
    private static readonly JobCatalog s_catalog = JobCatalog.FromAssemblies([typeof(PhysicsStepJob).Assembly]);

    [TestCase(StorageMode.Shared, 1, 1)]
    [TestCase(StorageMode.Snapshot, 1, 1)]
    [TestCase(StorageMode.Shared, 2, 3)]
    [TestCase(StorageMode.Snapshot, 2, 3)]
    public async Task Frames_RecordTheirDurationRowsAndEntities_AsFrameStatsReportThem(StorageMode storage, int threads, int ticks)
    {
        using var directory = RunDirectory.Create(Path.GetTempPath());
        var world = new World();
        var builder = new SimulationBuilder().WithJobs(s_catalog).WithRunDirectory(directory).WithStorage(storage).WithThreads(threads);
        using var simulation = new ParticlesModule().Build(builder, world, ModuleContext.For(new ParticlesModule(), seed: 3, entities: 1000, ticksPerFrame: ticks));
        using var recorder = new MeterRecorder();

        var elapsed = new List<double>();
        long rows = 0;
        for (var frame = 0; frame < 4; frame++)
        {
            var stats = await simulation.RunFrameAsync(Dt, frame * Dt);
            Assert.That(stats.HasFailures, Is.False);
            elapsed.Add(stats.Elapsed.TotalSeconds);
            rows += stats.RowsCommitted;
        }

        Assert.Multiple(() =>
        {
            Assert.That(recorder.Sum("simhost.frames"), Is.EqualTo(4));
            Assert.That(recorder.Of("simhost.frame.duration"), Is.EqualTo(elapsed), "each frame's FrameStats.Elapsed, in seconds");
            Assert.That(rows, Is.GreaterThan(0));
            Assert.That(recorder.Sum("simhost.rows.committed"), Is.EqualTo(rows));
            Assert.That(recorder.Of("simhost.entities"), Is.EqualTo(Enumerable.Repeat(1000.0, 4)));
            Assert.That(recorder.Sum("simhost.ranges.failed"), Is.Zero);
            Assert.That(recorder.Sum("simhost.systems.failed"), Is.Zero);
        });
    }

    [Test]
    public async Task WorkersDown_SeenByAListenerThatStartedAfterASlotWentDown_NeverGoesBelowZero()
    {
        var pool = await WorkerPool.StartAsync(new WorkerPoolOptions { WorkerCount = 0 });
        SimHostInstruments.SlotDown(pool);
        using var recorder = new MeterRecorder();
        var whileRunning = recorder.Observe("simhost.workers.down");

        await pool.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(whileRunning, Is.EqualTo(1), "the slot that went down before the listener started");
            Assert.That(recorder.Observe("simhost.workers.down"), Is.Zero, "a disposed pool's slots no longer count, and nothing goes negative");
        });
    }

    [Test]
    public async Task CheckpointWriter_RecordsEachWrittenAndSkippedCheckpoint()
    {
        var world = new World();
        var module = new ChurnModule();
        module.Seed(world, ModuleContext.For(module, seed: 5, entities: 300_000));
        var folder = Path.Combine(Path.GetTempPath(), $"simhost-metrics-{Guid.NewGuid():N}");
        using var recorder = new MeterRecorder();
        try
        {
            // Paced over many frames, of which none ends: a write of more than one frame's share (1 MiB; this world is
            // several) waits for the drain, so the second checkpoint falls due while the first is in flight.
            var writer = new BackgroundCheckpointWriter(new CheckpointStore(folder, 3), pacer: new CheckpointPacer(1000));
            var content = new CheckpointContent(world.CaptureImage(null), null, new Dictionary<string, string>());
            Assert.That(content.World.PayloadBytes, Is.GreaterThan(2 * CheckpointPacer.MinBytesPerFrame));
            Assert.That(writer.TryStart(1, () => content), Is.True);
            Assert.That(writer.TryStart(2, () => content), Is.False, "the second is skipped while the first is written");
            await writer.DrainAsync();
            Assert.That(writer.TryStart(3, () => content), Is.True);
            await writer.DrainAsync();

            Assert.Multiple(() =>
            {
                Assert.That(recorder.Sum("simhost.checkpoints.written"), Is.EqualTo(writer.Written).And.EqualTo(2));
                Assert.That(recorder.Sum("simhost.checkpoints.skipped"), Is.EqualTo(writer.Skipped).And.EqualTo(1));
                Assert.That(recorder.Of("simhost.checkpoint.duration"), Has.Count.EqualTo(2).And.All.GreaterThan(0));
            });
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
