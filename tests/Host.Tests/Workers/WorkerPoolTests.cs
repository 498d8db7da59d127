using System.Diagnostics;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;
using SimHost.Tests.Jobs;

namespace SimHost.Tests.Host.Workers;

/// <summary>The pool with real simhost-worker processes: results, job failures, crashes, hangs and replacement.</summary>
[TestFixture]
[NonParallelizable]
public sealed class WorkerPoolTests : WorkerPoolFixture
{
    private const int Rows = 1000;

    [Test]
    public async Task PhysicsStep_InWorkers_IsByteIdenticalToInProcess()
    {
        var pool = await Harness.StartPoolAsync(workers: 2);
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("workers.seg"), Rows);
        using var reference = ParticleSegment.CopyOf(segment, Harness.RunDirectory.SegmentPath("reference.seg"));
        JobRange[] ranges = [PhysicsRange(0, 512), PhysicsRange(512, Rows - 512)];

        var outcomes = await WorkerTestEnvironment.Within(
            Task.WhenAll(ranges.Select(r => pool.RunAsync(r with { JobName = PhysicsStepJob.JobName, SegmentPath = segment.Path, SegmentGeneration = 1 }, mayBlockCaller: false, CancellationToken.None).AsTask())),
            "physics.step on two workers");
        var expected = ranges.Select(r => JobRunner.Run(new PhysicsStepJob(), reference, r)).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Select(o => o.Succeeded), Is.All.True, string.Join("; ", outcomes.Select(o => o.Failure)));
            Assert.That(outcomes.Select(o => o.RowsChanged), Is.EqualTo(expected.Select(e => e.RowsChanged)));
            Assert.That(outcomes.Select(o => o.WorkerId).Distinct().Count(), Is.EqualTo(2), "each range ran on its own worker");
            for (var column = 0; column < segment.ColumnCount; column++)
            {
                Assert.That(segment.ColumnBytes(column).SequenceEqual(reference.ColumnBytes(column)), Is.True, $"column {column} bytes");
                Assert.That(segment.ChangedWords(column).SequenceEqual(reference.ChangedWords(column)), Is.True, $"column {column} changed bits");
            }
        });
    }

    [Test]
    public async Task MultiTickJob_InWorkers_IsByteIdenticalToSingleTicksInProcess()
    {
        const int Ticks = 4;
        var pool = await Harness.StartPoolAsync(workers: 2);
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("ticks.seg"), Rows);
        using var reference = ParticleSegment.CopyOf(segment, Harness.RunDirectory.SegmentPath("ticks-reference.seg"));
        JobRange[] ranges = [PhysicsRange(0, 512) with { Ticks = Ticks }, PhysicsRange(512, Rows - 512) with { Ticks = Ticks }];

        var outcomes = await WorkerTestEnvironment.Within(
            Task.WhenAll(ranges.Select(r => pool.RunAsync(r with { JobName = PhysicsStepJob.JobName, SegmentPath = segment.Path, SegmentGeneration = 1 }, mayBlockCaller: false, CancellationToken.None).AsTask())),
            "4-tick physics.step on two workers");
        for (var tick = 0; tick < Ticks; tick++)
        {
            foreach (var range in ranges)
            {
                JobRunner.Run(new PhysicsStepJob(), reference, range with { Ticks = 1, Time = range.Time + (tick * range.DeltaTime) });
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Select(o => o.Succeeded), Is.All.True, string.Join("; ", outcomes.Select(o => o.Failure)));
            for (var column = 0; column < segment.ColumnCount; column++)
            {
                Assert.That(segment.ColumnBytes(column).SequenceEqual(reference.ColumnBytes(column)), Is.True, $"column {column} bytes");
                Assert.That(segment.ChangedWords(column).SequenceEqual(reference.ChangedWords(column)), Is.True, $"column {column} changed bits");
            }
        });
    }

    [Test]
    public async Task GridForces_InWorkers_IsByteIdenticalToInProcess()
    {
        var pool = await Harness.StartPoolAsync(workers: 2);
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("grid.seg"), Rows);
        using var reference = ParticleSegment.CopyOf(segment, Harness.RunDirectory.SegmentPath("grid-reference.seg"));
        var parameters = new SimHost.Physics.Grid.GridForceParameters(30f, 50f).ToBytes();
        JobRange[] ranges = [PhysicsRange(0, 448) with { Parameters = parameters, Ticks = 2 }, PhysicsRange(448, Rows - 448) with { Parameters = parameters, Ticks = 2 }];

        var outcomes = await WorkerTestEnvironment.Within(
            Task.WhenAll(ranges.Select(r => pool.RunAsync(r with { JobName = GridForcesJob.JobName, SegmentPath = segment.Path, SegmentGeneration = 1 }, mayBlockCaller: false, CancellationToken.None).AsTask())),
            "physics.grid-forces on two workers");
        JobRunner.Run(new GridForcesJob(), reference, PhysicsRange(0, Rows) with { Parameters = parameters, Ticks = 2 });

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Select(o => o.Succeeded), Is.All.True, string.Join("; ", outcomes.Select(o => o.Failure)));
            for (var column = 0; column < segment.ColumnCount; column++)
            {
                Assert.That(segment.ColumnBytes(column).SequenceEqual(reference.ColumnBytes(column)), Is.True, $"column {column} bytes");
            }
        });
    }

    [Test]
    public async Task JobFromSeparateAssembly_RunsInWorker()
    {
        var pool = await Harness.StartPoolAsync(workers: 1);
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("mark.seg"), Rows);

        var outcome = await RunAsync(pool, TestJobNames.MarkAll, segment, 0, Rows);

        var heights = segment.Column<Position>(segment.FindColumn(ParticleSegment.PositionComponentId))[..Rows].ToArray().Select(p => p.Y);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Succeeded, Is.True, outcome.Failure);
            Assert.That(outcome.RowsChanged, Is.EqualTo(Rows));
            Assert.That(heights, Is.All.EqualTo(TestJobNames.MarkValue));
        });
    }

    [Test]
    public async Task ThrowingJob_FailsTheRange_AndTheWorkerSurvives()
    {
        var pool = await Harness.StartPoolAsync(workers: 1);
        var pidBefore = pool.WorkerProcessIds.Single();
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("throw.seg"), Rows);

        var failed = await RunAsync(pool, TestJobNames.Throw, segment, 0, Rows);
        var next = await RunAsync(pool, TestJobNames.MarkAll, segment, 0, Rows);

        Assert.Multiple(() =>
        {
            Assert.That(failed.Succeeded, Is.False);
            Assert.That(failed.Failure, Does.Contain(TestJobNames.ThrowMessage));
            Assert.That(failed.WorkerId, Is.EqualTo(0));
            Assert.That(failed.CrashedOrHungItsWorker, Is.False, "a job that throws may still run in the host");
            Assert.That(next.Succeeded, Is.True, next.Failure);
            Assert.That(pool.WorkerProcessIds, Is.EqualTo(new[] { pidBefore }), "the same worker process ran both ranges");
            Assert.That(pool.RestartCount, Is.Zero);
        });
    }

    [Test]
    public async Task UnknownJobName_FailsTheRange()
    {
        var pool = await Harness.StartPoolAsync(workers: 1);
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("unknown.seg"), Rows);

        var outcome = await RunAsync(pool, "no.such.job", segment, 0, Rows);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Succeeded, Is.False);
            Assert.That(outcome.Failure, Does.Contain("Unknown job 'no.such.job'"));
            Assert.That(pool.ParallelSlots, Is.EqualTo(1));
        });
    }

    [TestCase(TestJobNames.FailFast)]
    [TestCase(TestJobNames.NativeCrash)]
    public async Task CrashingJob_FailsTheRange_ReplacesTheWorker_AndTheNextRangeSucceeds(string jobName)
    {
        var pool = await Harness.StartPoolAsync(workers: 1);
        var pidBefore = pool.WorkerProcessIds.Single();
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("crash.seg"), Rows);

        var failed = await RunAsync(pool, jobName, segment, 0, Rows);
        await Harness.WaitForLiveWorkersAsync(1);
        var next = await RunAsync(pool, TestJobNames.MarkAll, segment, 0, Rows);

        Assert.Multiple(() =>
        {
            Assert.That(failed.Succeeded, Is.False);
            Assert.That(failed.Failure, Does.Contain("failed during " + jobName));
            Assert.That(failed.CrashedOrHungItsWorker, Is.True, "the job took its worker down by itself");
            Assert.That(next.Succeeded, Is.True, next.Failure);
            Assert.That(pool.WorkerProcessIds.Single(), Is.Not.EqualTo(pidBefore));
            Assert.That(pool.RestartCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task WorkerKilledMidJob_FailsTheRange_AndIsReplaced()
    {
        var pool = await Harness.StartPoolAsync(workers: 1);
        var pid = pool.WorkerProcessIds.Single();
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("kill.seg"), Rows);

        var running = RunAsync(pool, TestJobNames.Spin, segment, 0, Rows);
        await Task.Delay(200);
        using (var worker = Process.GetProcessById(pid))
        {
            worker.Kill();
        }

        var failed = await running;
        await Harness.WaitForLiveWorkersAsync(1);
        var next = await RunAsync(pool, TestJobNames.MarkAll, segment, 0, Rows);

        Assert.Multiple(() =>
        {
            Assert.That(failed.Succeeded, Is.False);
            Assert.That(failed.Failure, Does.Contain("failed during"));
            Assert.That(failed.CrashedOrHungItsWorker, Is.False, "SIGKILL came from outside: the job is not to blame");
            Assert.That(next.Succeeded, Is.True, next.Failure);
        });
    }

    [Test]
    public async Task HangingJob_IsKilledAfterTheTimeout_AndFails()
    {
        var pool = await Harness.StartPoolAsync(workers: 1, jobTimeout: TimeSpan.FromSeconds(1));
        var pid = pool.WorkerProcessIds.Single();
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("hang.seg"), Rows);

        var failed = await RunAsync(pool, TestJobNames.Spin, segment, 0, Rows);
        await Harness.WaitForLiveWorkersAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(failed.Succeeded, Is.False);
            Assert.That(failed.Failure, Does.Contain("did not finish " + TestJobNames.Spin));
            Assert.That(failed.CrashedOrHungItsWorker, Is.True, "the job would hang the host the same way");
            Assert.That(pool.WorkerProcessIds.Single(), Is.Not.EqualTo(pid));
        });
    }

    // Microseconds of each spin: none (sleep at once), one that always runs out (the waiter takes over), the default.
    [TestCase(0, 0)]
    [TestCase(1, 1)]
    [TestCase(-1, -1)]
    public async Task FramesInARow_GiveInProcessResults_WhateverTheSpins(int replySpinMicroseconds, int idleSpinMicroseconds)
    {
        var pool = await Harness.StartPoolAsync(workers: 1, configure: options => options with
        {
            ReplyIdle = replySpinMicroseconds < 0 ? WorkerPoolOptions.DefaultReplyIdle : WorkerPoolOptions.DefaultReplyIdle with { SpinLimit = TimeSpan.FromMicroseconds(replySpinMicroseconds) },
            WorkerIdle = idleSpinMicroseconds < 0 ? WorkerPoolOptions.DefaultWorkerIdle : WorkerPoolOptions.DefaultWorkerIdle with { SpinLimit = TimeSpan.FromMicroseconds(idleSpinMicroseconds) },
        });
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("spins.seg"), Rows);
        using var reference = ParticleSegment.CopyOf(segment, Harness.RunDirectory.SegmentPath("spins-reference.seg"));

        // Back to back, as frames come: the host spins for each reply and the worker for each next request.
        for (var frame = 0; frame < 40; frame++)
        {
            var range = PhysicsRange(0, Rows) with { JobName = PhysicsStepJob.JobName, SegmentPath = segment.Path, SegmentGeneration = 1 };
            var outcome = await WorkerTestEnvironment.Within(pool.RunAsync(range, mayBlockCaller: true, CancellationToken.None).AsTask(), $"frame {frame}");
            var expected = JobRunner.Run(new PhysicsStepJob(), reference, PhysicsRange(0, Rows));
            Assert.That(outcome.Succeeded, Is.True, outcome.Failure);
            Assert.That(outcome.RowsChanged, Is.EqualTo(expected.RowsChanged), $"frame {frame}");
        }

        for (var column = 0; column < segment.ColumnCount; column++)
        {
            Assert.That(segment.ColumnBytes(column).SequenceEqual(reference.ColumnBytes(column)), Is.True, $"column {column} bytes");
        }
    }

    [Test]
    public async Task PoolOfNoWorkers_RunsEveryJobInProcess_WithTheInProcessResult()
    {
        // WorkerCount = 0 in the library means what --workers 0 means on the command line.
        var pool = await Harness.StartPoolAsync(workers: 0);
        var catalog = Contract.ContractWorld.LoadCatalog();
        var reference = await Contract.ContractWorld.RunAsync(SimHost.Tests.Jobs.Contract.ContractCase.FlagSubset, SimHost.Host.SharedStorage.StorageMode.Shared, 1, executor: null, catalog, Harness.Logger);

        var run = await Contract.ContractWorld.RunAsync(SimHost.Tests.Jobs.Contract.ContractCase.FlagSubset, SimHost.Host.SharedStorage.StorageMode.Shared, 1, pool, catalog, Harness.Logger);

        Assert.Multiple(() =>
        {
            Assert.That(run.Dump(), Is.EqualTo(reference.Dump()));
            Assert.That(pool.ParallelSlots, Is.Zero);
            Assert.That(pool.WorkerProcessIds, Is.Empty);
            Assert.That(ProcessCensus.FindWorkersOfThisProcess(), Is.Empty, "no worker process was started");
        });
    }

    [Test]
    public void NegativeWorkerCount_IsRefused_NamingWorkerCount()
    {
        var options = new WorkerPoolOptions { WorkerCount = -3, PipeDirectory = Harness.RunDirectory.Path };

        var refusal = Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => WorkerPool.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        Assert.Multiple(() =>
        {
            Assert.That(refusal!.ParamName, Is.EqualTo(nameof(WorkerPoolOptions.WorkerCount)));
            Assert.That(refusal.Message, Does.StartWith("WorkerCount ('-3') must be a non-negative value."));
        });
    }

    [TestCase(nameof(WorkerPoolOptions.JobTimeout))]
    [TestCase(nameof(WorkerPoolOptions.HandshakeTimeout))]
    [TestCase(nameof(WorkerPoolOptions.PingTimeout))]
    [TestCase(nameof(WorkerPoolOptions.PingInterval))]
    [TestCase(nameof(WorkerPoolOptions.ReplyIdle))]
    [TestCase(nameof(WorkerPoolOptions.WorkerIdle))]
    public void OutOfRangeOption_IsRefused_NamingTheProperty(string property)
    {
        var options = new WorkerPoolOptions { WorkerCount = 1, PipeDirectory = Harness.RunDirectory.Path };
        var negative = TimeSpan.FromTicks(-1);
        options = property switch
        {
            nameof(WorkerPoolOptions.JobTimeout) => options with { JobTimeout = negative },
            nameof(WorkerPoolOptions.HandshakeTimeout) => options with { HandshakeTimeout = negative },
            nameof(WorkerPoolOptions.PingTimeout) => options with { PingTimeout = negative },
            nameof(WorkerPoolOptions.PingInterval) => options with { PingInterval = negative },
            nameof(WorkerPoolOptions.ReplyIdle) => options with { ReplyIdle = options.ReplyIdle with { SpinLimit = negative } },
            nameof(WorkerPoolOptions.WorkerIdle) => options with { WorkerIdle = options.WorkerIdle with { SpinLimit = negative } },
            _ => throw new ArgumentOutOfRangeException(nameof(property), property, "not a WorkerPoolOptions property this test sets"),
        };

        var refusal = Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => WorkerPool.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        Assert.Multiple(() =>
        {
            Assert.That(refusal!.ParamName, Is.EqualTo(property));
            Assert.That(ProcessCensus.FindWorkersOfThisProcess(), Is.Empty, "a refused pool starts no worker");
        });
    }

    [TestCase(4_294_967_295.0)] // what a Welcome can carry, one past the longest a timer waits
    [TestCase(4_298_400_000.0)] // 1194h: accepted once, and every worker then failed at its Welcome while the start waited
    public void JobTimeoutPastWhatAWorkerCanBeTold_IsRefused_BeforeAnyWorkerStarts(double milliseconds)
    {
        var options = new WorkerPoolOptions { WorkerCount = 1, PipeDirectory = Harness.RunDirectory.Path, JobTimeout = TimeSpan.FromMilliseconds(milliseconds) };

        var refusal = Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => WorkerPool.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        Assert.Multiple(() =>
        {
            Assert.That(refusal!.ParamName, Is.EqualTo(nameof(WorkerPoolOptions.JobTimeout)));
            Assert.That(ProcessCensus.FindWorkersOfThisProcess(), Is.Empty, "a refused pool starts no worker");
        });
    }

    [Test]
    public async Task TheLongestJobTimeout_StartsItsWorkersAndRunsARange()
    {
        var pool = await Harness.StartPoolAsync(workers: 1, jobTimeout: TimeSpan.FromMilliseconds(uint.MaxValue - 1));
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("longest-timeout.seg"), Rows);

        var range = PhysicsRange(0, Rows) with { JobName = PhysicsStepJob.JobName, SegmentPath = segment.Path, SegmentGeneration = 1 };

        var outcome = await WorkerTestEnvironment.Within(pool.RunAsync(range, mayBlockCaller: false, CancellationToken.None).AsTask(), "a range under the longest job timeout");

        Assert.That(outcome.Succeeded, Is.True, outcome.Failure);
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task AWorker_IsTheKernelsFirstChoiceOverItsHost_WhenMemoryRunsOut()
    {
        await Harness.StartPoolAsync(workers: 1);
        var worker = ProcessCensus.FindWorkersOfThisProcess().Single();

        static int ScoreOf(string process) => int.Parse(File.ReadAllText($"/proc/{process}/oom_score_adj").Trim(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Multiple(() =>
        {
            Assert.That(ScoreOf(worker.ToString(System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(1000), "a worker sets its oom_score_adj to the most");
            Assert.That(ScoreOf("self"), Is.LessThan(1000), "the host keeps its own");
        });
    }

    [Test]
    public void MissingRestartPolicy_IsRefused_NamingRestartPolicy()
    {
        var options = new WorkerPoolOptions { WorkerCount = 1, PipeDirectory = Harness.RunDirectory.Path, RestartPolicy = null! };

        var refusal = Assert.ThrowsAsync<ArgumentNullException>(() => WorkerPool.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        Assert.That(refusal!.ParamName, Is.EqualTo(nameof(WorkerPoolOptions.RestartPolicy)));
    }

    [Test]
    public async Task DisposedPool_FailsRanges_WithoutThrowing()
    {
        var pool = await Harness.StartPoolAsync(workers: 1);
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("disposed.seg"), Rows);
        await pool.DisposeAsync();

        var outcome = await RunAsync(pool, TestJobNames.MarkAll, segment, 0, Rows);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Succeeded, Is.False);
            Assert.That(pool.ParallelSlots, Is.Zero);
            Assert.That(ProcessCensus.FindWorkersOfThisProcess(), Is.Empty);
        });
    }

    private static JobRange PhysicsRange(int start, int count) => ParticleSegment.PhysicsRange(start, count);

    private static Task<RangeOutcome> RunAsync(WorkerPool pool, string jobName, SharedSegment segment, int start, int count) =>
        WorkerTestEnvironment.Within(
            pool.RunAsync(PhysicsRange(start, count) with { JobName = jobName, SegmentPath = segment.Path, SegmentGeneration = 1 }, mayBlockCaller: false, CancellationToken.None).AsTask(),
            $"{jobName} rows {start}+{count}");
}
