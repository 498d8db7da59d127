using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Tests.Host.Workers;
using static SimHost.Tests.Host.Offload.OffloadTestSupport;

namespace SimHost.Tests.Host.Offload;

public sealed class OffloadCoordinatorTests
{
    private RunDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _directory.Dispose();

    /// <summary>Runs ranges in-process with several slots, failing chosen attempts after scribbling over the range's rows.</summary>
    private sealed class FlakyExecutor(int slots, Func<int, JobRange, bool, bool> fails) : IRangeExecutor
    {
        private readonly InProcessRangeExecutor _inner = new(Catalog);

        public int Calls { get; private set; }

        public int ParallelSlots => slots;

        public async ValueTask<RangeOutcome> RunAsync(SharedSegment segment, JobRange range, bool mayBlockCaller, CancellationToken cancellationToken)
        {
            // Counted before yielding, so call numbers follow the order ranges were started in.
            var call = Calls++;
            await Task.Yield();
            if (!fails(call, range, mayBlockCaller))
            {
                return await _inner.RunAsync(segment, range, mayBlockCaller, cancellationToken);
            }

            // A worker that died halfway: garbage in its rows and every bit set.
            segment.Column<Heat>(0).Slice(range.RowStart, range.RowCount).Fill(new Heat(-999));
            segment.ChangedWords(0).Slice(range.RowStart / 64, (range.RowCount + 63) / 64).Fill(ulong.MaxValue);
            return RangeOutcome.Failed("worker 7 crashed", 7);
        }
    }

    /// <summary>A pool whose slots all went down after the frame started its ranges: none of them starts anywhere.</summary>
    private sealed class NoWorkerExecutor : IRangeExecutor
    {
        public int ParallelSlots => 2;

        public ValueTask<RangeOutcome> RunAsync(SharedSegment segment, JobRange range, bool mayBlockCaller, CancellationToken cancellationToken) =>
            ValueTask.FromResult(RangeOutcome.NotStarted("no worker is running; every slot is down"));
    }

    /// <summary>A pool whose worker crashes by itself on every range it runs, and which can lose its last slot.</summary>
    private sealed class CrashingPool : IRangeExecutor
    {
        public int Slots { get; set; } = 2;

        public int ParallelSlots => Slots;

        public ValueTask<RangeOutcome> RunAsync(SharedSegment segment, JobRange range, bool mayBlockCaller, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Slots == 0
                ? RangeOutcome.NotStarted("no worker is running; every slot is down")
                : RangeOutcome.Failed("failed during heat: the pipe closed; it exited with code 134, signal 6 (SIGABRT)", 1) with { CrashedOrHungItsWorker = true });
    }

    /// <summary>Counts the ranges it is given before running them.</summary>
    private sealed class CountingExecutor(IRangeExecutor inner) : IRangeExecutor
    {
        public int Calls { get; private set; }

        public int ParallelSlots => inner.ParallelSlots;

        public ValueTask<RangeOutcome> RunAsync(SharedSegment segment, JobRange range, bool mayBlockCaller, CancellationToken cancellationToken)
        {
            Calls++;
            return inner.RunAsync(segment, range, mayBlockCaller, cancellationToken);
        }
    }

    [Test]
    public async Task AJobThatCrashedAWorker_NeverRunsInProcess_NotEvenWithEveryWorkerDown()
    {
        var world = new World();
        var entities = CreateHeated(world, 300, rate: 3);
        var pool = new CrashingPool();
        var inProcess = new CountingExecutor(new InProcessRangeExecutor(Catalog));
        var logger = new CollectingLogger();
        var coordinator = new OffloadCoordinator(HeatJob.JobName, default, new SnapshotStorage(NewSnapshot(world, _directory)), pool, inProcess, logger);

        var crashed = await coordinator.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);
        pool.Slots = 0;
        var allDown = await coordinator.RunAsync(HeatQuery(world), 2, 0.1, 0.1, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(inProcess.Calls, Is.Zero, "no range ran in the host: not as the fallback, not with every worker down");
            Assert.That(crashed.RangesAbandoned, Is.EqualTo(crashed.RangesRun).And.Positive, "the crashing frame gave up every range");
            Assert.That(allDown.RangesAbandoned, Is.EqualTo(allDown.RangesRun).And.Positive, "and so did the next, with no worker left");
            Assert.That(HeatOf(world, entities), Is.EqualTo(Enumerable.Range(0, 300).ToArray()), "nothing was committed");
            Assert.That(coordinator.NotRunInHostBecause, Does.Contain("SIGABRT"), "the coordinator says why");
            Assert.That(logger.Lines, Has.None.Contains("runs in-process"), "and never claims the job ran in-process");
            Assert.That(logger.Lines, Has.One.Contains("is never run in the host from now on"), "it says once that the job stays out of the host");
        });
    }

    [Test]
    public async Task AJobThatCrashedAWorkerUnderOneSystem_IsKeptOutOfTheHostUnderAnotherToo()
    {
        // Two systems of one simulation offload the same job: the set of jobs kept out of the host is shared.
        var world = new World();
        CreateHeated(world, 300, rate: 3);
        var keptOut = new JobsKeptOutOfHost();
        var crashing = new OffloadCoordinator(HeatJob.JobName, default, new SnapshotStorage(NewSnapshot(world, _directory)), new CrashingPool(), new InProcessRangeExecutor(Catalog)) { KeptOutOfHost = keptOut };
        var otherFallback = new CountingExecutor(new InProcessRangeExecutor(Catalog));
        var lostWorkers = new FlakyExecutor(2, (_, _, _) => true);
        var other = new OffloadCoordinator(HeatJob.JobName, default, new SnapshotStorage(NewSnapshot(world, _directory)), lostWorkers, otherFallback) { KeptOutOfHost = keptOut };

        await crashing.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);
        var result = await other.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(otherFallback.Calls, Is.Zero, "the other system's ranges did not fall back to the host");
            Assert.That(result.RangesAbandoned, Is.EqualTo(result.RangesRun).And.Positive);
            Assert.That(other.NotRunInHostBecause, Does.Contain("SIGABRT"), "it says why, from the first system's failure");
        });
    }

    [Test]
    public async Task ARangeNoWorkerStarted_IsLoggedAsNotStarted_NotAsFailedInTheHost_AndRunsInProcess()
    {
        var world = new World();
        var entities = CreateHeated(world, 1000, rate: 3);
        var logger = new CollectingLogger();
        var coordinator = new OffloadCoordinator(
            HeatJob.JobName, default, new SnapshotStorage(NewSnapshot(world, _directory)), new NoWorkerExecutor(), new InProcessRangeExecutor(Catalog), logger);

        await coordinator.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(HeatOf(world, entities), Is.EqualTo(Expected(1000, 1)), "the ranges did not run in-process in the end");
            Assert.That(logger.Lines, Has.Some.Contains("did not start: no worker is running; every slot is down"));
            Assert.That(logger.Lines, Has.None.Contains("failed on the host"), "a range no worker started was blamed on the host");
        });
    }

    private (World World, Entity[] Entities, OffloadCoordinator Coordinator) Setup(IRangeExecutor executor, int count = 1000, int maxRetries = 1)
    {
        var world = new World();
        var entities = CreateHeated(world, count, rate: 3);
        var snapshot = NewSnapshot(world, _directory);
        var coordinator = new OffloadCoordinator(HeatJob.JobName, default, new SnapshotStorage(snapshot), executor, new InProcessRangeExecutor(Catalog)) { MaxExecutorRetries = maxRetries };
        return (world, entities, coordinator);
    }

    private static int[] Expected(int count, int frames) => Enumerable.Range(0, count).Select(i => i + (3 * frames)).ToArray();

    [Test]
    public async Task Run_WithoutFailures_CommitsEveryRange()
    {
        var (world, entities, coordinator) = Setup(new FlakyExecutor(4, (_, _, _) => false));

        var result = await coordinator.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new OffloadResult(1000, 1000, 0, 4, 0, 0, 0)));
        Assert.That(HeatOf(world, entities), Is.EqualTo(Expected(1000, 1)));
    }

    private static readonly bool[] s_lastFlagsOfFourRangesAndTwoRetries = [false, false, false, true, false, true];

    [Test]
    public async Task OnlyTheLastRangeStartedInABatch_MayBlockTheCaller_WhenTheCallerMayBeBlocked()
    {
        // Calls 0 and 2 fail once: the retry batch (two ranges) must mark only its own last range as well.
        var lastFlags = new List<(int Call, bool IsLast)>();
        var executor = new FlakyExecutor(4, (call, _, mayBlockCaller) =>
        {
            lock (lastFlags)
            {
                lastFlags.Add((call, mayBlockCaller));
            }

            return call is 0 or 2;
        });
        var (world, _, coordinator) = Setup(executor);

        await coordinator.RunAsync(HeatQuery(world), 1, 0.1, 0, mayBlockCaller: true, CancellationToken.None);
        var blocking = lastFlags.OrderBy(flag => flag.Call).Select(flag => flag.IsLast).ToArray();
        lastFlags.Clear();
        await coordinator.RunAsync(HeatQuery(world), 2, 0.1, 0.1, CancellationToken.None);

        Assert.That(blocking, Is.EqualTo(s_lastFlagsOfFourRangesAndTwoRetries));
        Assert.That(lastFlags.Select(flag => flag.IsLast), Is.All.False, "a caller that may not be held never is");
    }

    [Test]
    public async Task FailedRanges_AreRestoredFromTheWorldAndRerun_GivingTheSameWorld()
    {
        // Calls 1 and 3 fail the first time: ranges 1 and 3 are scribbled over, re-snapshotted and re-run.
        var executor = new FlakyExecutor(4, (call, _, _) => call is 1 or 3);
        var (world, entities, coordinator) = Setup(executor);

        var result = await coordinator.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);
        var second = await coordinator.RunAsync(HeatQuery(world), 2, 0.1, 0.1, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new OffloadResult(1000, 1000, 0, 4, RangesFailed: 2, RangesRetried: 2, 0)));
        Assert.That(second.RangesFailed, Is.Zero);
        Assert.That(HeatOf(world, entities), Is.EqualTo(Expected(1000, 2)));
    }

    [Test]
    public async Task RangesThatKeepFailingOnTheExecutor_RunInProcessInTheEnd()
    {
        var executor = new FlakyExecutor(4, (_, range, _) => range.RowStart == 256);
        var (world, entities, coordinator) = Setup(executor, maxRetries: 2);

        var result = await coordinator.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);

        Assert.That(result.RangesFailed, Is.EqualTo(1));
        Assert.That(result.RangesRetried, Is.EqualTo(3), "two executor retries, then the in-process fallback");
        Assert.That(result.RangesAbandoned, Is.Zero);
        Assert.That(executor.Calls, Is.EqualTo(6));
        Assert.That(HeatOf(world, entities), Is.EqualTo(Expected(1000, 1)));
    }

    [Test]
    public async Task ARangeThatFailsEverywhere_IsAbandoned_AndNothingOfItIsCommitted()
    {
        var world = new World();
        var entities = CreateHeated(world, 300, rate: 3);
        var snapshot = NewSnapshot(world, _directory);
        var alwaysFirstRange = new FlakyExecutor(2, (_, range, _) => range.RowStart == 0);
        var coordinator = new OffloadCoordinator(HeatJob.JobName, default, new SnapshotStorage(snapshot), alwaysFirstRange, alwaysFirstRange);

        var result = await coordinator.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);

        Assert.That(result.RangesAbandoned, Is.EqualTo(1));
        Assert.That(result.RowsCommitted, Is.EqualTo(300 - 192));
        var expected = Enumerable.Range(0, 300).Select(i => i < 192 ? i : i + 3).ToArray();
        Assert.That(HeatOf(world, entities), Is.EqualTo(expected));
    }

    [Test]
    public async Task InProcessExecutor_ReportsAThrowingJobAsAFailedRange()
    {
        var world = new World();
        world.Create(new Heat(1), new Rate(1));
        var snapshot = NewSnapshot(world, _directory);
        SnapshotWriter.Write(HeatQuery(world), snapshot, 1);
        var executor = new InProcessRangeExecutor(Catalog);
        var segment = snapshot.Segments.Segments[0];
        var badRange = new JobRange { JobName = HeatJob.JobName, SegmentPath = segment.Path, SegmentGeneration = 1, RowCount = 1, FrameId = 1, DeltaTime = 0.1 };

        var outcome = await executor.RunAsync(segment, badRange, mayBlockCaller: false, CancellationToken.None);

        Assert.That(outcome.Succeeded, Is.False);
        Assert.That(outcome.Failure, Does.Contain("InvalidOperationException"));
    }
}
