using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Physics;
using SimHost.Tests.Jobs;

namespace SimHost.Tests.Host.Workers;

/// <summary>A real worker's log events arrive at the host's logger at their own level, as structured events.</summary>
[TestFixture]
[NonParallelizable]
public sealed class WorkerLogForwardingTests : WorkerPoolFixture
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(60);

    [Test]
    public async Task WorkersConnectedEvent_ArrivesAsInformation_WithItsWorkerCategoryAndProperties()
    {
        var pool = await Harness.StartPoolAsync(workers: 1);
        var pid = pool.WorkerProcessIds.Single();

        var properties = await WaitForEventAsync(
            p => Equals(p.GetValueOrDefault("{OriginalFormat}"), "Worker {WorkerId} connected (run {RunId:x16}, pid {ProcessId})"),
            "the worker's connected event");

        Assert.Multiple(() =>
        {
            Assert.That(properties.Level, Is.EqualTo(LogLevel.Information));
            Assert.That(properties.Properties["WorkerId"], Is.EqualTo(0u));
            Assert.That(properties.Properties["WorkerCategory"], Is.EqualTo("SimHost.Worker.WorkerSession"));
            Assert.That(properties.Properties["ProcessId"], Is.EqualTo((long)pid));
            Assert.That(Harness.Sink.Lines, Has.Some.EqualTo($"Information Worker 0 connected (run {properties.Properties["RunId"]:x16}, pid {pid})"));
        });
    }

    [Test]
    public async Task JobsException_ArrivesAsAnError_WithTheWorkersExceptionText()
    {
        var pool = await Harness.StartPoolAsync(workers: 1);
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("log.seg"), 128);
        var range = RangeOver(segment, TestJobNames.Throw);

        var outcome = await WorkerTestEnvironment.Within(
            pool.RunAsync(range, mayBlockCaller: false, CancellationToken.None).AsTask(), "the throwing job");
        var properties = await WaitForEventAsync(
            p => Equals(p.GetValueOrDefault("WorkerCategory"), "SimHost.Worker.JobExecutor"), "the job executor's error event");

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Succeeded, Is.False);
            Assert.That(properties.Level, Is.EqualTo(LogLevel.Error));
            Assert.That(properties.Properties["JobName"], Is.EqualTo(TestJobNames.Throw));
            var (level, exception) = Harness.Sink.Exceptions.Single(e => e.Exception is WorkerLoggedException);
            Assert.That(level, Is.EqualTo(LogLevel.Error));
            Assert.That(exception.Message, Is.EqualTo("System.InvalidOperationException: " + TestJobNames.ThrowMessage));
            Assert.That(exception.ToString(), Does.Contain("at SimHost.Tests.Jobs.ThrowingJob.Execute"), "the worker's stack trace");
        });
    }

    [Test]
    public async Task JobPrintingMegabytesWithoutANewline_IsLoggedAsOneShortenedLine_AndTheNextLineStillArrives()
    {
        var pool = await Harness.StartPoolAsync(workers: 1);
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("chatty.seg"), 128);
        var range = RangeOver(segment, TestJobNames.Chatty);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var outcome = await WorkerTestEnvironment.Within(
            pool.RunAsync(range, mayBlockCaller: false, CancellationToken.None).AsTask(), "the chatty job");
        await WaitForEventAsync(p => Equals(p.GetValueOrDefault("WorkerLine"), TestJobNames.ChattyDone), "the line after the long one");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var notLogged = TestJobNames.ChattyChars - Layout.Protocol.WorkerLogLine.MaxLineChars;
        var shortened = Harness.Sink.Events.Select(e => e.Properties.GetValueOrDefault("WorkerLine") as string).Single(l => l?.StartsWith('z') == true)!;
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Succeeded, Is.True, outcome.Failure);
            Assert.That(shortened, Does.EndWith($"… ({notLogged} more characters not logged)"));
            Assert.That(shortened.TrimEnd().Length, Is.LessThan(Layout.Protocol.WorkerLogLine.MaxLineChars + 64), "the host kept the cap, not the line");

            // Holding the whole line would take 2 bytes a character (32 MB); the host reads it through a small buffer.
            Assert.That(allocated, Is.LessThan(TestJobNames.ChattyChars / 2), $"the host allocated {allocated} bytes while the worker printed {TestJobNames.ChattyChars} characters");
        });
    }

    private static JobRange RangeOver(SimHost.Layout.Segments.SharedSegment segment, string jobName) => new()
    {
        JobName = jobName,
        SegmentPath = segment.Path,
        SegmentGeneration = 1,
        RowCount = segment.RowCapacity,
        WritableColumns = ParticleSegment.WritableColumns,
        FrameId = 7,
        DeltaTime = 1.0 / 64.0,
        Time = 3.5,
        Parameters = PhysicsParameters.Default.ToBytes(),
    };

    private async Task<(LogLevel Level, IReadOnlyDictionary<string, object?> Properties)> WaitForEventAsync(
        Func<IReadOnlyDictionary<string, object?>, bool> match, string what)
    {
        // The worker's output arrives on the host's stderr reader thread, independently of the pipe: wait for it.
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            foreach (var logged in Harness.Sink.Events)
            {
                if (match(logged.Properties))
                {
                    return logged;
                }
            }

            if (stopwatch.Elapsed > s_hangGuard)
            {
                Assert.Fail($"Hung for {s_hangGuard}: waiting for {what}");
            }

            await Task.Delay(20);
        }
    }
}
