using SimHost.Host.Ecs;
using SimHost.Physics;
using SimHost.Tests.EndToEnd.Support;
using SimHost.Tests.Jobs;

namespace SimHost.Tests.EndToEnd.Diagnostics;

/// <summary>
/// The SimHost meter over real workers that crash: the restarts, lost workers, failed and re-run ranges and connected
/// workers it reports are the pool's and the frames' own numbers, and a pool that is gone no longer counts.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SimHostMeterWorkerTests
{
    private const int Frames = 4;
    private PoolEnvironment _environment = null!;

    [SetUp]
    public void SetUp() => _environment = new PoolEnvironment();

    [TearDown]
    public async Task TearDown() => await _environment.DisposeAsync();

    [TestCase(1)]
    [TestCase(2)]
    public async Task WorkersThatCrash_AreCountedAsTheirPoolAndFramesCountThem(int workers)
    {
        using var recorder = new MeterRecorder();
        var pool = await _environment.StartPoolAsync(workers, TimeSpan.FromSeconds(60));
        var connectedAtStart = recorder.Observe("simhost.workers.connected");
        var parameters = new CrashOnceParameters(PhysicsParameters.Default, 1, _environment.MarkerDirectory).ToBytes();
        var world = new World();
        long rangesFailed = 0;
        long rangesRetried = 0;
        using (var simulation = ParticleRun.Create(world, pool, _environment.RunDirectory, CrashOnceJobNames.FailFast, parameters, 5000, seed: 3))
        {
            for (var frame = 0; frame < Frames; frame++)
            {
                var stats = await simulation.RunFrameAsync(ParticleRun.Dt, frame * ParticleRun.Dt);
                Assert.That(stats.HasFailures, Is.False);
                rangesFailed += stats.RangesFailed;
                rangesRetried += stats.RangesRetried;
            }
        }

        var lostBeforeDispose = pool.LostWorkerCount;
        await pool.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(connectedAtStart, Is.EqualTo(workers), "every worker was connected once the pool had started");
            Assert.That(rangesFailed, Is.GreaterThan(0), "the job killed its worker");
            Assert.That(recorder.Sum("simhost.ranges.failed"), Is.EqualTo(rangesFailed));
            Assert.That(recorder.Sum("simhost.ranges.retried"), Is.EqualTo(rangesRetried));
            Assert.That(pool.RestartCount, Is.GreaterThan(0));
            Assert.That(recorder.Sum("simhost.worker.restarts"), Is.EqualTo(pool.RestartCount));
            Assert.That(lostBeforeDispose, Is.GreaterThanOrEqualTo(pool.RestartCount), "every replacement replaced a worker counted as lost");
            Assert.That(pool.LostWorkerCount, Is.EqualTo(lostBeforeDispose), "the workers the pool stopped itself are not lost");
            Assert.That(recorder.Sum("simhost.workers.lost"), Is.EqualTo(pool.LostWorkerCount));
            Assert.That(recorder.Sum("simhost.frames"), Is.EqualTo(Frames));
            Assert.That(recorder.Observe("simhost.workers.connected"), Is.Zero, "a disposed pool no longer counts");
            Assert.That(recorder.Observe("simhost.workers.down"), Is.Zero, "a disposed pool's slots no longer count");
        });
    }
}
