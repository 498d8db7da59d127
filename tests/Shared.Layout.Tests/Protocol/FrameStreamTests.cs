using System.IO.Pipes;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.SharedLayout.Protocol;

[TestFixture]
public sealed class FrameStreamTests
{
    private static readonly TimeSpan s_testTimeout = TimeSpan.FromSeconds(20);

    [Test]
    public async Task ReaderAndWriter_RoundTripEveryMessageOverAnAnonymousPipe()
    {
        using var cancellation = new CancellationTokenSource(s_testTimeout);
        var messages = SampleMessages.All().ToArray();
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);

        var writing = Task.Run(async () =>
        {
            using var writer = new FrameWriter(server);
            for (var i = 0; i < messages.Length; i++)
            {
                await writer.WriteAsync(messages[i], (ulong)i + 1, cancellation.Token);
            }

            server.Dispose();
        });

        var reader = new FrameReader(client);
        var received = new List<Frame>();
        while (await reader.ReadAsync(cancellation.Token) is { } frame)
        {
            received.Add(frame);
        }

        await writing;
        Assert.That(received.Select(f => f.Message), Is.EqualTo(messages));
        Assert.That(received.Select(f => f.Sequence), Is.EqualTo(Enumerable.Range(1, messages.Length).Select(i => (ulong)i)));
    }

    [Test]
    public async Task ReaderAndWriter_CarryAConversationOverANamedPipe()
    {
        using var cancellation = new CancellationTokenSource(s_testTimeout);

        // Short and unique: the socket path $TMPDIR/CoreFxPipe_<name> must stay under 108 bytes.
        var pipeName = "sh-" + Guid.NewGuid().ToString("N")[..12];
        using var host = new NamedPipeServerStream(
            pipeName, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        using var worker = new NamedPipeClientStream(
            ".", pipeName, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        await Task.WhenAll(host.WaitForConnectionAsync(cancellation.Token), worker.ConnectAsync(cancellation.Token));

        using var hostWriter = new FrameWriter(host);
        using var workerWriter = new FrameWriter(worker);
        var hostReader = new FrameReader(host);
        var workerReader = new FrameReader(worker);

        await workerWriter.WriteAsync(SampleMessages.Hello(), 0, cancellation.Token);
        Assert.That(await hostReader.ReadAsync(cancellation.Token), Is.EqualTo(new Frame(0, SampleMessages.Hello())));

        await hostWriter.WriteAsync(SampleMessages.Welcome(), 0, cancellation.Token);
        Assert.That(await workerReader.ReadAsync(cancellation.Token), Is.EqualTo(new Frame(0, SampleMessages.Welcome())));

        await hostWriter.WriteAsync(SampleMessages.JobStart(), 1, cancellation.Token);
        Assert.That(await workerReader.ReadAsync(cancellation.Token), Is.EqualTo(new Frame(1, SampleMessages.JobStart())));

        await workerWriter.WriteAsync(SampleMessages.JobDone(), 1, cancellation.Token);
        await workerWriter.WriteAsync(SampleMessages.JobFailed(), 1, cancellation.Token);
        Assert.That(await hostReader.ReadAsync(cancellation.Token), Is.EqualTo(new Frame(1, SampleMessages.JobDone())));
        Assert.That(await hostReader.ReadAsync(cancellation.Token), Is.EqualTo(new Frame(1, SampleMessages.JobFailed())));

        await hostWriter.WriteAsync(PingMessage.Instance, 2, cancellation.Token);
        Assert.That(await workerReader.ReadAsync(cancellation.Token), Is.EqualTo(new Frame(2, PingMessage.Instance)));
        await workerWriter.WriteAsync(PongMessage.Instance, 2, cancellation.Token);
        Assert.That(await hostReader.ReadAsync(cancellation.Token), Is.EqualTo(new Frame(2, PongMessage.Instance)));

        await hostWriter.WriteAsync(ShutdownMessage.Instance, 3, cancellation.Token);
        Assert.That(await workerReader.ReadAsync(cancellation.Token), Is.EqualTo(new Frame(3, ShutdownMessage.Instance)));

        worker.Dispose();
        Assert.That(await hostReader.ReadAsync(cancellation.Token), Is.Null);
    }

    [Test]
    public async Task Writer_SerialisesConcurrentWritesIntoWholeFrames()
    {
        using var stream = new MemoryStream();
        using var writer = new FrameWriter(stream);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(async () => await writer.WriteAsync(i % 2 == 0 ? SampleMessages.JobStart() : SampleMessages.JobFailed(), (ulong)i))));

        stream.Position = 0;
        var reader = new FrameReader(stream);
        var sequences = new List<ulong>();
        while (await reader.ReadAsync() is { } frame)
        {
            sequences.Add(frame.Sequence);
        }

        Assert.That(sequences, Is.EquivalentTo(Enumerable.Range(0, 200).Select(i => (ulong)i)));
    }

    [Test]
    public void Writer_RefusesFurtherWritesAfterAFailedWrite()
    {
        using var writer = new FrameWriter(new FailingStream());

        Assert.ThrowsAsync<IOException>(async () => await writer.WriteAsync(PingMessage.Instance, 1));
        Assert.That(writer.IsFaulted, Is.True);
        Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.WriteAsync(PingMessage.Instance, 2));
    }

    [Test]
    public async Task Reader_ReturnsNullAtACleanEndOfStream()
    {
        var reader = new FrameReader(new MemoryStream([]));

        Assert.That(await reader.ReadAsync(), Is.Null);
    }

    [TestCase(1)]
    [TestCase(15)]
    public void Reader_RejectsStreamEndingInsideTheHeader(int length)
    {
        var frame = SampleMessages.Encode(SampleMessages.JobStart());
        var reader = new FrameReader(new MemoryStream(frame[..length]));

        AssertRejected(reader, ProtocolError.EndOfStreamMidFrame);
    }

    [Test]
    public async Task Reader_RejectsStreamEndingInsideTheBody()
    {
        var frame = SampleMessages.Encode(SampleMessages.JobStart());
        byte[] stream = [.. SampleMessages.Encode(PingMessage.Instance), .. frame[..^1]];
        var reader = new FrameReader(new MemoryStream(stream));

        Assert.That(await reader.ReadAsync(), Is.EqualTo(new Frame(7, PingMessage.Instance)));
        AssertRejected(reader, ProtocolError.EndOfStreamMidFrame);
    }

    [Test]
    public void Reader_RejectsOversizedLengthBeforeReadingTheBody()
    {
        // A peer claiming a 4 GiB frame and then sending data forever: the reader must stop at the header.
        var header = SampleMessages.RawFrame(MessageType.JobStart, [], length: uint.MaxValue);
        var stream = new EndlessStream(header);
        var reader = new FrameReader(stream);

        AssertRejected(reader, ProtocolError.FrameTooLarge);
        Assert.That(stream.BytesServed, Is.EqualTo(ProtocolConstants.HeaderSizeBytes));
    }

    [Test]
    public void Reader_RejectsAnInvalidBodyWithTheDecodersError()
    {
        var reader = new FrameReader(new MemoryStream(SampleMessages.RawFrame(MessageType.Ping, [1, 2])));

        AssertRejected(reader, ProtocolError.TrailingBytes);
    }

    private static void AssertRejected(FrameReader reader, ProtocolError expected)
    {
        var exception = Assert.ThrowsAsync<ProtocolException>(async () => await reader.ReadAsync());
        Assert.That(exception!.Error, Is.EqualTo(expected), exception.Message);
    }

    /// <summary>Serves a fixed prefix, then zeros forever, counting every byte it hands out.</summary>
    private sealed class EndlessStream(byte[] prefix) : Stream
    {
        public long BytesServed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesServed; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = BytesServed + i < prefix.Length ? prefix[BytesServed + i] : (byte)0;
            }

            BytesServed += buffer.Length;
            return buffer.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A writable stream whose every write fails, like a pipe whose peer died.</summary>
    private sealed class FailingStream : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe.");
    }
}
