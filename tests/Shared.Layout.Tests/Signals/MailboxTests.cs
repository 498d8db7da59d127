using System.Runtime.Versioning;
using CsCheck;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;
using SimHost.Layout.Signals;

namespace SimHost.Tests.SharedLayout.Signals;

[TestFixture]
public sealed class MailboxTests
{
    private string _directory = null!;
    private string _path = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("simhost-mailbox-").FullName;
        _path = Path.Combine(_directory, "w0.mailbox");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void PostRequest_IsReadByTheOtherEndWithItsSequence()
    {
        using var host = Mailbox.Create(_path, 3);
        using var worker = Mailbox.Open(_path, 3);
        var start = SampleStart(rowStart: 64);

        host.PostRequest(start, 7);

        Assert.That(worker.WaitForRequest(lastSeen: 0, spinCount: 0, TimeSpan.Zero), Is.True);
        Assert.That(worker.RequestSequence, Is.EqualTo(7UL));
        var frame = worker.ReadRequest();
        Assert.That(frame.Sequence, Is.EqualTo(7UL));
        Assert.That(frame.Message, Is.EqualTo(start));
    }

    [Test]
    public void PostReply_IsReadByTheHostWithItsSequence()
    {
        using var host = Mailbox.Create(_path, 0);
        using var worker = Mailbox.Open(_path, 0);
        var done = new JobDoneMessage(64, 32, 32, TimeSpan.FromMilliseconds(1));

        worker.PostReply(done, 9);

        Assert.That(host.WaitForReply(9, spinCount: 10, TimeSpan.Zero), Is.True);
        Assert.That(host.ReadReply(), Is.EqualTo(new Frame(9, done)));
    }

    [Test]
    public void WaitForReply_ReturnsFalseWhenAnotherSequenceIsPublished()
    {
        using var host = Mailbox.Create(_path, 0);
        using var worker = Mailbox.Open(_path, 0);
        worker.PostReply(new JobFailedMessage("late"), 4);

        Assert.That(host.WaitForReply(5, spinCount: 100, TimeSpan.FromMilliseconds(1)), Is.False);
    }

    [Test]
    public void WaitForRequest_SleepsUntilAnotherThreadPosts()
    {
        using var host = Mailbox.Create(_path, 0);
        using var worker = Mailbox.Open(_path, 0);
        var waiting = Task.Run(() => worker.WaitForRequest(0, spinCount: 0, TimeSpan.FromMinutes(1)));

        host.PostRequest(SampleStart(0), 1);

        Assert.That(waiting.Wait(TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(waiting.Result, Is.True);
    }

    [Test]
    public void WaitForReply_WithSpinTime_SeesAReplyPostedWhileItSpins_WithoutSleeping()
    {
        using var host = Mailbox.Create(_path, 0);
        using var worker = Mailbox.Open(_path, 0);

        // No futex sleep is allowed (zero timeout): only the timed spin can see the reply.
        var waiting = Task.Run(() => host.WaitForReply(3, spinCount: 0, TimeSpan.Zero, spinTime: TimeSpan.FromMinutes(2)));
        worker.PostReply(new JobDoneMessage(0, 64, 1, TimeSpan.Zero), 3);

        Assert.That(waiting.Wait(TimeSpan.FromMinutes(3)), Is.True, "the spinning wait hung");
        Assert.That(waiting.Result, Is.True);
    }

    [Test]
    public void WaitForReply_StopsALongSpin_WhenTheStopTokenIsCancelled()
    {
        using var host = Mailbox.Create(_path, 0);
        using var stop = new CancellationTokenSource();
        stop.Cancel();

        // Without the token this would spin for the whole (capped) spin time; the hang guard names it if it does.
        var waiting = Task.Run(() => host.WaitForReply(1, spinCount: 0, TimeSpan.Zero, spinTime: TimeSpan.FromMinutes(2), stop.Token));

        Assert.That(waiting.Wait(TimeSpan.FromMinutes(1)), Is.True, "the spin ignored its stop token");
        Assert.That(waiting.Result, Is.False);
    }

    [Test]
    public void WaitForRequest_WithSpinTime_GivesUpWhenNothingArrives()
    {
        using var host = Mailbox.Create(_path, 0);
        using var worker = Mailbox.Open(_path, 0);

        Assert.That(worker.WaitForRequest(0, spinCount: 10, TimeSpan.Zero, spinTime: TimeSpan.FromMilliseconds(2)), Is.False);
    }

    [Test]
    public void InterruptReplyWait_EndsASleepingWaitWithoutAReply()
    {
        using var host = Mailbox.Create(_path, 0);
        var waiting = Task.Run(() => host.WaitForReply(1, spinCount: 0, TimeSpan.FromMinutes(1)));

        // The interrupt may land before the waiter reads the futex word; repeating it is what a caller does too.
        while (!waiting.Wait(TimeSpan.FromMilliseconds(5)))
        {
            host.InterruptReplyWait();
        }

        Assert.That(waiting.Result, Is.False);
    }

    [Test]
    [UnsupportedOSPlatform("windows")]
    public void Create_MakesTheFileReadableByItsOwnerOnly()
    {
        using var host = Mailbox.Create(_path, 0);

        Assert.That(File.GetUnixFileMode(_path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void Create_ReplacesAnOldMailboxWithAZeroedOne()
    {
        using (var old = Mailbox.Create(_path, 0))
        {
            old.PostRequest(SampleStart(0), 12);
        }

        using var fresh = Mailbox.Create(_path, 0);

        Assert.That(fresh.RequestSequence, Is.Zero);
    }

    [Test]
    public void Open_RejectsAnotherWorkersMailbox()
    {
        using var host = Mailbox.Create(_path, 1);

        var exception = Assert.Throws<MailboxFormatException>(() => Mailbox.Open(_path, 2));
        Assert.That(exception!.Message, Does.Contain("belongs to worker 1"));
    }

    [Test]
    public void Open_RejectsAFileOfTheWrongSize()
    {
        File.WriteAllBytes(_path, new byte[128]);

        Assert.Throws<MailboxFormatException>(() => Mailbox.Open(_path, 0));
    }

    [Test]
    public void Open_RejectsAFileWithoutTheMagic()
    {
        using (var host = Mailbox.Create(_path, 0))
        {
        }

        using (var stream = new FileStream(_path, FileMode.Open, FileAccess.Write))
        {
            stream.Write(new byte[8]);
        }

        var exception = Assert.Throws<MailboxFormatException>(() => Mailbox.Open(_path, 0));
        Assert.That(exception!.Message, Does.Contain("magic"));
    }

    [Test]
    public void ReadReply_RejectsALengthPastTheReplyArea()
    {
        using var host = Mailbox.Create(_path, 0);
        using (var stream = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.Position = 256 + (16 * 1024);
            stream.Write(BitConverter.GetBytes(uint.MaxValue));
        }

        var exception = Assert.Throws<ProtocolException>(() => host.ReadReply());
        Assert.That(exception!.Error, Is.EqualTo(ProtocolError.FrameTooLarge));
    }

    [Test]
    public void ReadRequest_RejectsGarbageLikeThePipeDecoder()
    {
        using var host = Mailbox.Create(_path, 0);
        using var worker = Mailbox.Open(_path, 0);
        using (var stream = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.Position = 256;
            stream.Write(BitConverter.GetBytes(20u));
            stream.Write(Enumerable.Repeat((byte)0xAB, 20).ToArray());
        }

        Assert.Throws<ProtocolException>(() => worker.ReadRequest());
    }

    [Test]
    public void PostRequest_FitsTheLargestJobStart()
    {
        using var host = Mailbox.Create(_path, 0);
        using var worker = Mailbox.Open(_path, 0);
        var largest = new JobStartMessage(new JobRange
        {
            FrameId = 1,
            JobName = new string('j', ProtocolConstants.MaxJobNameBytes),
            SegmentPath = new string('p', ProtocolConstants.MaxSegmentPathBytes),
            SegmentGeneration = 1,
            RowStart = 0,
            RowCount = 1,
            DeltaTime = 0.1,
            Time = 0,
            Parameters = new byte[ProtocolConstants.MaxParameterBytes],
            WritableColumns = ulong.MaxValue,
        });

        host.PostRequest(largest, 1);

        Assert.That(worker.ReadRequest().Message, Is.EqualTo(largest));
    }

    [Test]
    public void Replies_RoundTripInOrder()
    {
        using var host = Mailbox.Create(_path, 0);
        using var worker = Mailbox.Open(_path, 0);
        var sequence = 0UL;
        Gen.Select(Gen.UInt[0, 1_000_000], Gen.UInt[0, 1_000_000], Gen.Int[0, 100_000]).SampleSeeded(
            sample =>
            {
                var (start, count, micros) = sample;
                sequence++;
                var done = new JobDoneMessage(start, count, count / 2, TimeSpan.FromMicroseconds(micros));
                worker.PostReply(done, sequence);
                return host.WaitForReply(sequence, 0, TimeSpan.Zero) && host.ReadReply() == new Frame(sequence, done);
            },
            iterations: 200);
    }

    private static JobStartMessage SampleStart(int rowStart) =>
        new(new JobRange
        {
            FrameId = 5,
            JobName = "physics.step",
            SegmentPath = "/dev/shm/simhost/segment-0",
            SegmentGeneration = 2,
            RowStart = rowStart,
            RowCount = 64,
            DeltaTime = 1.0 / 60,
            Time = 0.5,
            Parameters = new byte[] { 1, 2, 3 },
            WritableColumns = 0b101,
        });
}
