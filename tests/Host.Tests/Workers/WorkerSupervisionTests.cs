using System.Runtime.InteropServices;
using System.Text;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Tests.Jobs;

namespace SimHost.Tests.Host.Workers;

/// <summary>
/// Supervision with real workers: Ping of idle workers, the restart intensity limit, a worker that rejects a
/// tampered segment, and forged replies.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class WorkerSupervisionTests : WorkerPoolFixture
{
    /// <summary>tests/TestJobs/ForgedReplyJobNames.ForgedReply (the test project does not reference the job assembly).</summary>
    internal const string ForgedReply = "test.forged-reply";
    internal const byte UnknownSequence = 1;
    internal const byte ForeignRange = 2;

    private const int Rows = 1000;
    private const int SigStop = 19;

    [Test]
    public async Task IdleWorker_ThatStopsAnsweringPing_IsKilledAndReplaced()
    {
        var pool = await Harness.StartPoolAsync(workers: 1, configure: o => o with
        {
            PingInterval = TimeSpan.FromMilliseconds(50),
            PingTimeout = TimeSpan.FromSeconds(2),
        });
        var frozen = pool.WorkerProcessIds.Single();

        Assert.That(Kill(frozen, SigStop), Is.Zero, "SIGSTOP the idle worker");
        await WorkerTestEnvironment.WaitUntilAsync(() => pool.RestartCount >= 1 && pool.ParallelSlots == 1, "the frozen worker's replacement");
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("ping.seg"), Rows);
        var next = await RunAsync(pool, TestJobNames.MarkAll, segment, generation: 1, []);

        Assert.Multiple(() =>
        {
            Assert.That(Harness.Sink.Lines, Has.Some.Contains("did not answer Ping"));
            Assert.That(pool.WorkerProcessIds.Single(), Is.Not.EqualTo(frozen));
            Assert.That(next.Succeeded, Is.True, next.Failure);
        });
    }

    [Test]
    public async Task BusyWorker_IsNeverPinged_OnlyItsJobTimeoutEndsIt()
    {
        // Were the spinning worker pinged, it would miss its Pong after 2 s and die of that before its 5 s job timeout.
        var pool = await Harness.StartPoolAsync(workers: 1, jobTimeout: TimeSpan.FromSeconds(5), configure: o => o with
        {
            PingInterval = TimeSpan.FromMilliseconds(20),
            PingTimeout = TimeSpan.FromSeconds(2),
        });
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("busy.seg"), Rows);

        var failed = await RunAsync(pool, TestJobNames.Spin, segment, generation: 1, []);

        Assert.Multiple(() =>
        {
            Assert.That(failed.Failure, Does.Contain("did not finish " + TestJobNames.Spin).And.Contain("within 5s; killed"), "the timeout as a user writes it");
            Assert.That(Harness.Sink.Lines, Has.None.Contains("did not answer Ping"));
        });
    }

    [Test]
    public async Task RestartIntensityLimit_LeavesTheSlotDown_LogsOnce_AndRangesFailAtOnce()
    {
        var pool = await Harness.StartPoolAsync(workers: 1, configure: o => o with
        {
            RestartPolicy = new RestartPolicy { MaxRestarts = 1, RestartWindow = TimeSpan.FromMinutes(10), InitialBackoff = TimeSpan.Zero },
            PingInterval = Timeout.InfiniteTimeSpan,
        });

        KillWorker(pool.WorkerProcessIds.Single());
        await WorkerTestEnvironment.WaitUntilAsync(() => pool.RestartCount == 1 && pool.ParallelSlots == 1, "the first replacement");
        KillWorker(pool.WorkerProcessIds.Single());
        await WorkerTestEnvironment.WaitUntilAsync(() => Harness.Sink.Lines.Any(l => l.Contains("stays down", StringComparison.Ordinal)), "the slot giving up");
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("down.seg"), Rows);
        var outcome = await RunAsync(pool, TestJobNames.MarkAll, segment, generation: 1, []);

        Assert.Multiple(() =>
        {
            Assert.That(pool.ParallelSlots, Is.Zero);
            Assert.That(outcome.Succeeded, Is.False);
            Assert.That(outcome.Failure, Does.Contain("every slot is down"));
            Assert.That(outcome.WasNotStarted, Is.True, "a range no worker was there for counted as run");
            Assert.That(Harness.Sink.Lines.Count(l => l.Contains("stays down", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(Harness.Sink.Lines, Has.Some.Contains("Worker slot 0 stays down").And.Contains("--max-restarts 1"));
        });
    }

    [TestCase(8, 7u, TestName = "TamperedSegmentVersion_IsAWorkerFailure_AndTheRangeRunsOnTheReplacement")]
    [TestCase(24, 0xDEADu, TestName = "TamperedSegmentLayoutHash_IsAWorkerFailure_AndTheRangeRunsOnTheReplacement")]
    public async Task TamperedSegmentHeader_IsAWorkerFailure(int offset, uint value)
    {
        var pool = await Harness.StartPoolAsync(workers: 1);
        var path = Harness.RunDirectory.SegmentPath("tampered.seg");
        using var segment = ParticleSegment.Create(path, Rows);
        var first = await RunAsync(pool, TestJobNames.MarkAll, segment, generation: 1, []);
        var original = Patch(path, offset, value);

        // A new generation makes the worker map the file again, as after the host recreates a segment.
        var rejected = await RunAsync(pool, TestJobNames.MarkAll, segment, generation: 2, []);
        Patch(path, offset, original);
        await Harness.WaitForLiveWorkersAsync(1);
        var rerun = await RunAsync(pool, TestJobNames.MarkAll, segment, generation: 3, []);

        Assert.Multiple(() =>
        {
            Assert.That(first.Succeeded, Is.True, first.Failure);
            Assert.That(rejected.Succeeded, Is.False);
            Assert.That(rejected.Failure, Does.Contain("rejected the segment"));
            Assert.That(pool.RestartCount, Is.EqualTo(1), "the worker was killed and replaced");
            Assert.That(rerun.Succeeded, Is.True, rerun.Failure);
        });
    }

    [Test]
    public async Task ForgedReply_WithASequenceNumberNotGiven_IsDropped_AndTheWorkerKept()
    {
        var pool = await Harness.StartHostilePoolAsync(workers: 1);
        var pid = pool.WorkerProcessIds.Single();
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("forged.seg"), Rows);

        var outcome = await RunAsync(pool, ForgedReply, segment, generation: 1, [UnknownSequence]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Succeeded, Is.True, outcome.Failure);
            Assert.That(Harness.Sink.Lines, Has.Some.Contains("Dropped JobDone #100000"));
            Assert.That(pool.WorkerProcessIds, Is.EqualTo(new[] { pid }));
            Assert.That(pool.RestartCount, Is.Zero);
        });
    }

    [Test]
    public async Task ForgedReply_ForARangeNotGiven_KillsTheWorker_AndFailsTheRange()
    {
        var pool = await Harness.StartHostilePoolAsync(workers: 1);
        var pid = pool.WorkerProcessIds.Single();
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("foreign.seg"), Rows);

        var outcome = await RunAsync(pool, ForgedReply, segment, generation: 1, [ForeignRange]);
        await Harness.WaitForLiveWorkersAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Succeeded, Is.False);
            Assert.That(outcome.Failure, Does.Contain("protocol break").And.Contain($"rows {Rows}+{Rows}"));
            Assert.That(pool.WorkerProcessIds.Single(), Is.Not.EqualTo(pid));
        });
    }

    /// <summary>Parameters for the forged-reply job: the mode, then the marker file that makes it forge only once.</summary>
    internal static byte[] ForgeOnce(byte mode, string markerPath) => [mode, .. Encoding.UTF8.GetBytes(markerPath)];

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static void KillWorker(int pid)
    {
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        process.Kill();
    }

    private static uint Patch(string path, int offset, uint value)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var buffer = new byte[4];
        file.Position = offset;
        file.ReadExactly(buffer);
        file.Position = offset;
        file.Write(BitConverter.GetBytes(value));
        return BitConverter.ToUInt32(buffer);
    }

    private static Task<RangeOutcome> RunAsync(WorkerPool pool, string jobName, SharedSegment segment, uint generation, byte[] parameters)
    {
        var range = new JobRange { RowCount = Rows, WritableColumns = ParticleSegment.WritableColumns, FrameId = 7, DeltaTime = 1.0 / 64.0, Time = 3.5, Parameters = parameters };
        return WorkerTestEnvironment.Within(
            pool.RunAsync(range with { JobName = jobName, SegmentPath = segment.Path, SegmentGeneration = generation }, mayBlockCaller: false, CancellationToken.None).AsTask(),
            $"{jobName} with generation {generation}");
    }
}
