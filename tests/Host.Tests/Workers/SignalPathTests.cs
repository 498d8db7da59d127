using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Physics.Jobs;

namespace SimHost.Tests.Host.Workers;

/// <summary>The job signal path: the shared-memory mailbox and the pipe give the same results and the same guarantees.</summary>
[TestFixture]
[NonParallelizable]
public sealed class SignalPathTests : WorkerPoolFixture
{
    private const int Rows = 1000;

    [Test]
    public void DefaultSignalPath_IsTheMailboxWhereFutexExists()
    {
        var expected = SimHost.Layout.Signals.Futex.IsSupported ? SignalPath.Mailbox : SignalPath.Pipe;

        Assert.That(new WorkerPoolOptions().SignalPath, Is.EqualTo(expected));
    }

    // Spin 0 hands every reply to the waiter thread; a large spin takes it inline; the pipe path is the reference.
    // The path travels by name: SignalPath is internal, and a public test method cannot take it as a parameter.
    [TestCase(nameof(SignalPath.Pipe), 0)]
    [TestCase(nameof(SignalPath.Mailbox), 0)]
    [TestCase(nameof(SignalPath.Mailbox), 100_000)]
    public async Task SuccessiveRanges_AreByteIdenticalToInProcess(string pathName, int spinCount)
    {
        var path = Enum.Parse<SignalPath>(pathName);
        var pool = await Harness.StartPoolAsync(workers: 1, configure: o => o with { SignalPath = path, ReplyIdle = o.ReplyIdle with { SpinCount = spinCount }, WorkerIdle = o.WorkerIdle with { SpinCount = spinCount } });
        using var segment = ParticleSegment.Create(Harness.RunDirectory.SegmentPath("signal.seg"), Rows);
        using var reference = ParticleSegment.CopyOf(segment, Harness.RunDirectory.SegmentPath("signal-reference.seg"));
        JobRange[] ranges = [Range(0, 320), Range(320, 320), Range(640, Rows - 640)];

        var outcomes = new List<RangeOutcome>();
        foreach (var range in ranges)
        {
            var request = range with { JobName = PhysicsStepJob.JobName, SegmentPath = segment.Path, SegmentGeneration = 1 };
            outcomes.Add(await WorkerTestEnvironment.Within(pool.RunAsync(request, mayBlockCaller: false, CancellationToken.None).AsTask(), "one range"));
            JobRunner.Run(new PhysicsStepJob(), reference, range);
        }

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
    public async Task MailboxFiles_AreRemovedOnceTheWorkersHaveConnected()
    {
        await Harness.StartPoolAsync(workers: 2, configure: o => o with { SignalPath = SignalPath.Mailbox });

        Assert.That(Directory.GetFiles(Harness.RunDirectory.Path, "*.mailbox"), Is.Empty);
    }

    private static JobRange Range(int start, int count) => ParticleSegment.PhysicsRange(start, count);
}
