using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;
using SimHost.Tests.Jobs;

namespace SimHost.Tests.Host.Workers;

/// <summary>
/// A frame in which one worker forges a reply for a range it was not given, under each --on-worker-failure policy:
/// retry and fallback end with the crash-free data; fail fails the frame without re-running anything.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class WorkerFailurePolicyTests : WorkerPoolFixture
{
    private const int Entities = 3000;
    private const ulong Seed = 11;

    [TearDown]
    public void DeleteMarkers()
    {
        File.Delete(MarkerPath);
        File.Delete(HostMarkerPath);
    }

    [TestCase(1, TestName = "Retry_RerunsTheForgedRangeOnAFreshWorker_AndTheDataEqualsTheCrashFreeRun")]
    [TestCase(0, TestName = "Fallback_RerunsTheForgedRangeInProcess_AndTheDataEqualsTheCrashFreeRun")]
    public async Task FailedRange_IsRerun_AndTheDataEqualsTheCrashFreeRun(int executorRetries)
    {
        var pool = await Harness.StartHostilePoolAsync(workers: 2);
        var (stats, checksum) = await RunOneFrameAsync(pool, b => b.WithExecutorRetries(executorRetries), ForgedOnce());

        var (_, reference) = await RunOneFrameAsync(executor: null, b => b, TestJobNames.MarkAll, []);
        Assert.Multiple(() =>
        {
            Assert.That(stats.HasFailures, Is.False);
            Assert.That(stats.RangesFailed, Is.EqualTo(1), "exactly one range was forged");
            Assert.That(stats.RangesRetried, Is.EqualTo(1), "only the failed range ran again");
            Assert.That(WorldChecksum.Format(checksum), Is.EqualTo(WorldChecksum.Format(reference)));
        });
    }

    [Test]
    public async Task Fail_DoesNotRerun_AndFailsTheFrame()
    {
        var pool = await Harness.StartHostilePoolAsync(workers: 2);

        var (stats, _) = await RunOneFrameAsync(pool, b => b.WithExecutorRetries(0).WithInProcessFallback(false), ForgedOnce());

        Assert.Multiple(() =>
        {
            Assert.That(stats.HasFailures, Is.True);
            Assert.That(stats.Failures.Values.Single(), Is.TypeOf<OffloadFailedException>());
            Assert.That(stats.Failures.Values.Single().Message, Does.Match("The last failure: worker [01]: ."), "the failure says where and why");
            Assert.That(stats.Failures.Values.Single().Message, Does.Contain("failed and were not re-run (the failure policy allows no retry and no in-process fallback)"));
            Assert.That(stats.Failures.Values.Single().Message, Does.Not.Contain("every retry"), "the frame's error claims no retry either");
            Assert.That(stats.RangesRetried, Is.Zero);
            Assert.That(Harness.Sink.Lines, Has.Some.Contains("failed and was not re-run (no retry and no in-process fallback are allowed)"), "the log says no re-run was allowed");
            Assert.That(Harness.Sink.Lines, Has.None.Contains("failed every retry"), "and does not speak of retries that were never allowed");
        });
    }

    [Test]
    public async Task JobThatThrowsInProcess_FailsTheFrame_WithTheJobsOwnMessage()
    {
        var (stats, _) = await RunOneFrameAsync(executor: null, b => b, TestJobNames.Throw, []);

        Assert.Multiple(() =>
        {
            Assert.That(stats.Failures.Values.Single().Message, Does.Contain($"The last failure: the host: Job '{TestJobNames.Throw}' threw InvalidOperationException: {TestJobNames.ThrowMessage}"));
            Assert.That(stats.Failures.Values.Single().Message, Does.Contain("were not recovered (every retry and fallback the failure policy allows failed too)"), "the default policy allowed a retry");
        });
    }

    [Test]
    public async Task AJobThatCrashesOrHangsItsWorker_IsNeverRunInTheHost_AndItsFrameFails(
        [Values] WorkerOnlyFailure failure, [Values(1, 0)] int executorRetries, [Values] StorageMode storage, [Values(1, 3)] int ticks)
    {
        // In the host the job only leaves a marker: were it run there, a FailFast would end this test process and a
        // hang would hang it, as it did simhost under the default policy.
        // Only the hang waits for the timeout; the crashes get one no busy machine reaches first.
        var timeout = failure == WorkerOnlyFailure.Hang ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromMinutes(2);
        var pool = await Harness.StartPoolAsync(workers: 2, jobTimeout: timeout);
        var marker = HostMarkerPath;
        var parameters = WorkerOnlyFailureParameters.Write(Environment.ProcessId, failure, marker);

        var (stats, checksum) = await RunOneFrameAsync(pool, b => b.WithExecutorRetries(executorRetries).WithStorage(storage), TestJobNames.WorkerOnlyFailure, parameters, ticks);

        var untouched = SeededWorldChecksum();
        var message = stats.Failures.Values.Single().Message;
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(marker), Is.False, "the job never ran in the host");
            Assert.That(stats.HasFailures, Is.True, "the frame failed");
            Assert.That(message, Does.Contain("were not run in the host, since the job crashed or hung a worker"), "and says why nothing was recovered");
            Assert.That(message, Does.Contain(failure == WorkerOnlyFailure.Hang ? "did not finish" : "failed during"), "naming how the worker ended");
            Assert.That(WorldChecksum.Format(checksum), Is.EqualTo(WorldChecksum.Format(untouched)), "nothing of the failed ranges was committed");
            Assert.That(Harness.Sink.Lines, Has.One.Contains($"Offloaded job {TestJobNames.WorkerOnlyFailure} is never run in the host from now on"), "the log says so once");
            Assert.That(Harness.Sink.Lines, Has.Some.Contains("failed on the workers and is not run in the host"), "and names each range given up");
        });
    }

    [Test]
    public async Task AWorkerKilledFromOutside_LeavesTheFallbackToTheHost()
    {
        // SIGKILL is what the host, an operator, a chaos test or the OOM killer sends: the job is not to blame.
        var pool = await Harness.StartPoolAsync(workers: 1, jobTimeout: TimeSpan.FromMinutes(5));
        var pid = pool.WorkerProcessIds.Single();
        var marker = HostMarkerPath;
        var parameters = WorkerOnlyFailureParameters.Write(Environment.ProcessId, WorkerOnlyFailure.Hang, marker);
        var frame = RunOneFrameAsync(pool, b => b.WithExecutorRetries(0), TestJobNames.WorkerOnlyFailure, parameters);
        await WorkerTestEnvironment.Within(Task.Run(async () =>
        {
            while (pool.BusyWorkers == 0)
            {
                await Task.Delay(10);
            }
        }), "the range to be sent to the worker");
        using (var worker = System.Diagnostics.Process.GetProcessById(pid))
        {
            worker.Kill();
        }

        var (stats, _) = await frame;

        Assert.Multiple(() =>
        {
            Assert.That(stats.HasFailures, Is.False, "the range ran in the host instead");
            Assert.That(File.Exists(marker), Is.True, "in the host");
            Assert.That(Harness.Sink.Lines, Has.None.Contains("is never run in the host"));
        });
    }

    private static UInt128 SeededWorldChecksum()
    {
        var world = new World();
        ParticlesModule.Seed(world, Entities, Seed, PhysicsParameters.Default);
        return WorldChecksum.Compute(world, ParticlesModule.ParticleComponents);
    }

    private string MarkerPath => Path.Combine(Harness.RunDirectory.Path, "forged.marker");

    private string HostMarkerPath => Path.Combine(Harness.RunDirectory.Path, "ran-in-host.marker");

    private (string Job, byte[] Parameters) ForgedOnce() =>
        (WorkerSupervisionTests.ForgedReply, WorkerSupervisionTests.ForgeOnce(WorkerSupervisionTests.ForeignRange, MarkerPath));

    private Task<(FrameStats Stats, UInt128 Checksum)> RunOneFrameAsync(
        IRangeExecutor? executor, Func<SimulationBuilder, SimulationBuilder> configure, (string Job, byte[] Parameters) job) =>
        RunOneFrameAsync(executor, configure, job.Job, job.Parameters);

    private async Task<(FrameStats Stats, UInt128 Checksum)> RunOneFrameAsync(
        IRangeExecutor? executor, Func<SimulationBuilder, SimulationBuilder> configure, string job, byte[] parameters, int ticks = 1)
    {
        var catalog = JobCatalog.Load([typeof(PhysicsStepJob).Assembly], [WorkerTestEnvironment.TestJobsAssemblyPath]);
        var world = new World();
        ParticlesModule.Seed(world, Entities, Seed, PhysicsParameters.Default);
        var builder = new SimulationBuilder().WithJobs(catalog).WithRunDirectory(Harness.RunDirectory).WithLogger(Harness.Logger);
        if (executor is not null)
        {
            builder = builder.WithExecutor(executor);
        }

        builder = configure(builder).AddSystem("mark", s => s.Writes<Position>().Offload(job, parameters).Ticks(ticks));
        using var simulation = builder.Build(world);
        var stats = await WorkerTestEnvironment.Within(simulation.RunFrameAsync(1.0 / 64.0, 0).AsTask(), $"one frame of {job}");
        return (stats, WorldChecksum.Compute(world, ParticlesModule.ParticleComponents));
    }
}
