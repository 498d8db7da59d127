using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using SimHost.Host.Workers;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.Host.Workers;

/// <summary>Protocol breaks a worker can commit, each detected by the host's connection over a real pipe.</summary>
[TestFixture]
public sealed class WorkerConnectionProtocolTests
{
    private readonly CollectingLogger _sink = new(LogLevel.Debug);
    private ILogger _logger = null!;
    private CancellationTokenSource _cancel = null!;
    private FakeWorker _worker = null!;

    [SetUp]
    public async Task SetUp()
    {
        _logger = _sink;
        _cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _worker = await WorkerTestEnvironment.Within(FakeWorker.ConnectAsync(_logger, _cancel.Token), "the fake worker's handshake");
    }

    [TearDown]
    public async Task TearDown()
    {
        await _worker.DisposeAsync();
        _cancel.Dispose();
    }

    [Test]
    public async Task MalformedFrame_BreaksTheConnection_AndFailsTheOutstandingRequest()
    {
        var request = PingAsync(1);
        var frame = FakeWorker.Encode(PongMessage.Instance, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(4), 9);
        await _worker.WriteRawAsync(frame, _cancel.Token);

        await AssertBrokenAsync(request, "UnsupportedVersion");
    }

    [Test]
    public async Task FrameOverTheSizeCap_BreaksTheConnection_BeforeItsBodyIsRead()
    {
        var request = PingAsync(1);
        var header = FakeWorker.Encode(PongMessage.Instance, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header, ProtocolConstants.MaxFrameBytes + 100);
        await _worker.WriteRawAsync(header, _cancel.Token);

        await AssertBrokenAsync(request, "FrameTooLarge");
    }

    [Test]
    public async Task EndOfStream_WhileOwingAReply_BreaksTheConnection()
    {
        var request = PingAsync(1);
        await _worker.Reader.ReadAsync(_cancel.Token);
        await _worker.Pipe.DisposeAsync();

        await AssertBrokenAsync(request, "EOF");
    }

    [Test]
    public async Task EndOfStream_InsideAFrame_BreaksTheConnection()
    {
        var request = PingAsync(1);
        await _worker.Reader.ReadAsync(_cancel.Token);
        await _worker.WriteRawAsync(FakeWorker.Encode(new JobFailedMessage("cut short"), 1)[..10], _cancel.Token);
        await _worker.Pipe.DisposeAsync();

        await AssertBrokenAsync(request, "protocol break");
    }

    [Test]
    public async Task HostBoundOnlyMessage_FromTheWorker_BreaksTheConnection()
    {
        var request = PingAsync(1);
        await _worker.Writer.WriteAsync(ShutdownMessage.Instance, 1, _cancel.Token);

        await AssertBrokenAsync(request, "only the host sends");
    }

    [Test]
    public async Task JobDone_WithASequenceNumberNotGiven_IsDropped_AndTheConnectionKept()
    {
        var request = PingAsync(7);
        await _worker.Writer.WriteAsync(new JobDoneMessage(0, 64, 64, TimeSpan.Zero), 99, _cancel.Token);
        await _worker.Writer.WriteAsync(PongMessage.Instance, 7, _cancel.Token);

        var reply = await WorkerTestEnvironment.Within(request, "the Pong after a forged JobDone");

        Assert.Multiple(() =>
        {
            Assert.That(reply.Message, Is.SameAs(PongMessage.Instance));
            Assert.That(_worker.Connection.IsOpen, Is.True);
            Assert.That(_sink.Lines, Has.Some.Contains("Dropped JobDone #99"));
        });
    }

    [Test]
    public async Task APong_AfterTheHostStoppedWaitingForIt_IsDroppedQuietly_AndTheConnectionKept()
    {
        // The pool shutting down cancels an idle worker's Ping; the worker answers it all the same.
        using (var shutdown = new CancellationTokenSource())
        {
            var abandoned = _worker.Connection.RequestAsync(PingMessage.Instance, 5, TimeSpan.FromSeconds(60), shutdown.Token);
            await WorkerTestEnvironment.Within(_worker.Reader.ReadAsync(_cancel.Token).AsTask(), "the Ping reaching the worker");
            await shutdown.CancelAsync();
            Assert.CatchAsync<OperationCanceledException>(async () => await WorkerTestEnvironment.Within(abandoned, "the cancelled Ping"));
        }

        await _worker.Writer.WriteAsync(PongMessage.Instance, 5, _cancel.Token);
        var next = PingAsync(6);
        await _worker.Writer.WriteAsync(PongMessage.Instance, 6, _cancel.Token);
        await WorkerTestEnvironment.Within(next, "the next Ping's Pong");

        Assert.Multiple(() =>
        {
            Assert.That(_worker.Connection.IsOpen, Is.True);
            Assert.That(_sink.Lines, Has.None.Contains("Warning Dropped Pong #5"), "a late answer is no warning");
            Assert.That(_sink.Lines, Has.Some.Contains("Debug Dropped Pong #5 from worker").And.Contains("came after the host stopped waiting for it"));
        });
    }

    private Task<Frame> PingAsync(ulong sequence) =>
        _worker.Connection.RequestAsync(PingMessage.Instance, sequence, TimeSpan.FromSeconds(60), _cancel.Token);

    private async Task AssertBrokenAsync(Task<Frame> request, string reason)
    {
        var broken = Assert.ThrowsAsync<WorkerBrokenException>(async () => await WorkerTestEnvironment.Within(request, "the broken request"));
        await WorkerTestEnvironment.Within(_worker.Connection.Closed, "the connection closing");
        Assert.Multiple(() =>
        {
            Assert.That(broken!.Message, Does.Contain(reason));
            Assert.That(_worker.Connection.IsOpen, Is.False);
            Assert.That(_worker.Connection.BrokenReason, Does.Contain(reason));
        });
    }
}
