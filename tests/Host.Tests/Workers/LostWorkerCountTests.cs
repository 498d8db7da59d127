using System.Diagnostics;
using SimHost.Host.Workers;

namespace SimHost.Tests.Host.Workers;

/// <summary>
/// <see cref="WorkerPool.LostWorkerCount"/> counts every connected worker that is lost, idle or busy, replaced or
/// not, as soon as its slot notices; the workers the pool stops itself when disposed are not lost.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LostWorkerCountTests : WorkerPoolFixture
{
    [Test]
    public async Task AnIdleWorkerKilled_IsCounted_ThoughNoReplacementIsStarted()
    {
        var pool = await Harness.StartPoolAsync(workers: 1, configure: o => o with
        {
            RestartPolicy = new RestartPolicy { ReplacesLostWorkers = false },
            PingInterval = Timeout.InfiniteTimeSpan,
        });

        KillTheOnlyWorker(pool);
        await WorkerTestEnvironment.WaitUntilAsync(() => pool.LostWorkerCount == 1, "the pool counting the killed worker");
        await WorkerTestEnvironment.WaitUntilAsync(() => pool.SlotsDown == 1, "the slot giving up");

        Assert.Multiple(() =>
        {
            Assert.That(pool.RestartCount, Is.Zero, "nothing replaced it");
            Assert.That(pool.LastFailure, Does.StartWith("worker 0 lost: "), "the failure names the worker");
            Assert.That(pool.HasUnnoticedExit(), Is.False, "no exited worker is left unnoticed");
        });
    }

    [Test]
    public async Task EveryLoss_IsCounted_AndTheWorkersStoppedByDisposeAreNot()
    {
        var pool = await Harness.StartPoolAsync(workers: 1, configure: o => o with
        {
            RestartPolicy = new RestartPolicy { InitialBackoff = TimeSpan.Zero },
            PingInterval = Timeout.InfiniteTimeSpan,
        });

        KillTheOnlyWorker(pool);
        await WorkerTestEnvironment.WaitUntilAsync(() => pool.RestartCount == 1 && pool.ParallelSlots == 1, "a replacement connecting");
        KillTheOnlyWorker(pool);
        await WorkerTestEnvironment.WaitUntilAsync(() => pool.RestartCount == 2 && pool.ParallelSlots == 1, "a second replacement connecting");
        var lost = pool.LostWorkerCount;
        await pool.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(lost, Is.EqualTo(2), "each killed worker once");
            Assert.That(pool.LostWorkerCount, Is.EqualTo(2), "the replacement the pool stopped is not lost");
        });
    }

    private static void KillTheOnlyWorker(WorkerPool pool)
    {
        using var worker = Process.GetProcessById(pool.WorkerProcessIds.Single());
        worker.Kill();
    }
}
