using System.Buffers.Binary;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.SharedLayout.Protocol;

[TestFixture]
public sealed class FrameDecoderRejectionTests
{
    // Body offsets from docs/protocol.md.
    private const int JobStartLiveColumnsOffset = 28;
    private const int JobStartTicksOffset = 52;
    private const int JobStartJobNameLengthOffset = 56;
    private const int HelloHashCountOffset = 42;

    [TestCase((ushort)0)]
    [TestCase((ushort)10)]
    [TestCase(ushort.MaxValue)]
    public void Decode_RejectsUnknownMessageType(ushort type)
    {
        var frame = SampleMessages.RawFrame((MessageType)type, []);

        AssertRejected(frame, ProtocolError.UnknownMessageType);
    }

    [TestCase((ushort)0)]
    [TestCase((ushort)1)]
    [TestCase((ushort)2)]
    [TestCase((ushort)3)]
    [TestCase((ushort)4)]
    [TestCase((ushort)6)]
    public void Decode_RejectsWrongVersion(ushort version)
    {
        var frame = SampleMessages.RawFrame(MessageType.Ping, [], version);

        AssertRejected(frame, ProtocolError.UnsupportedVersion);
    }

    [TestCase((uint)ProtocolConstants.MaxFrameBytes - 3)]
    [TestCase(uint.MaxValue)]
    public void Decode_RejectsLengthAboveMaximumFromTheHeaderAlone(uint length)
    {
        // Only the 16 header bytes are present: the length is refused before the missing body is even considered.
        var frame = SampleMessages.RawFrame(MessageType.Ping, [], length: length);

        AssertRejected(frame, ProtocolError.FrameTooLarge);
    }

    [Test]
    public void Decode_AcceptsLengthOfExactlyTheMaximum()
    {
        var body = new byte[ProtocolConstants.MaxBodyBytes];

        // A max-size body is valid framing; Ping then rejects it only for its content.
        AssertRejected(SampleMessages.RawFrame(MessageType.Ping, body), ProtocolError.TrailingBytes);
    }

    [TestCase(0u)]
    [TestCase(11u)]
    public void Decode_RejectsLengthSmallerThanTheHeader(uint length)
    {
        var frame = SampleMessages.RawFrame(MessageType.Ping, [], length: length);

        AssertRejected(frame, ProtocolError.InvalidLength);
    }

    [TestCase(0)]
    [TestCase(4)]
    [TestCase(15)]
    public void Decode_RejectsInputShorterThanTheHeader(int length)
    {
        var frame = SampleMessages.Encode(PingMessage.Instance)[..length];

        AssertRejected(frame, ProtocolError.TruncatedFrame);
    }

    [Test]
    public void Decode_RejectsInputShorterThanTheLengthField()
    {
        var frame = SampleMessages.Encode(SampleMessages.JobStart());

        AssertRejected(frame[..^1], ProtocolError.TruncatedFrame);
    }

    [Test]
    public void Decode_RejectsBytesAfterTheFrame()
    {
        byte[] frame = [.. SampleMessages.Encode(PingMessage.Instance), 0];

        AssertRejected(frame, ProtocolError.TrailingBytes);
    }

    [Test]
    public void Decode_RejectsBodyShorterThanItsTypeRequires()
    {
        var body = SampleMessages.Body(SampleMessages.JobDone())[..^1];

        AssertRejected(SampleMessages.RawFrame(MessageType.JobDone, body), ProtocolError.BodyTooShort);
    }

    [Test]
    public void Decode_RejectsEmptyBodyForAMessageWithFields()
    {
        AssertRejected(SampleMessages.RawFrame(MessageType.Welcome, []), ProtocolError.BodyTooShort);
    }

    [Test]
    public void Decode_RejectsBodyLongerThanItsTypeRequires()
    {
        byte[] body = [.. SampleMessages.Body(SampleMessages.JobDone()), 0xAA];

        AssertRejected(SampleMessages.RawFrame(MessageType.JobDone, body), ProtocolError.TrailingBytes);
    }

    // The message type as its byte: MessageType is internal, and NUnit calls only public test methods.
    [TestCase((byte)MessageType.Ping)]
    [TestCase((byte)MessageType.Pong)]
    [TestCase((byte)MessageType.Shutdown)]
    public void Decode_RejectsAnyBodyOnAnEmptyMessage(byte type)
    {
        AssertRejected(SampleMessages.RawFrame((MessageType)type, [0]), ProtocolError.TrailingBytes);
    }

    [Test]
    public void Decode_RejectsStringLengthPastTheBodyEnd()
    {
        byte[] body = [10, 0, (byte)'a', (byte)'b', (byte)'c'];

        AssertRejected(SampleMessages.RawFrame(MessageType.JobFailed, body), ProtocolError.LengthPastBodyEnd);
    }

    [TestCase((byte)0)]
    [TestCase((byte)5)]
    [TestCase((byte)255)]
    public void Decode_RejectsAJobFailedReasonThatIsNoCode(byte code)
    {
        byte[] body = [2, 0, (byte)'n', (byte)'o', code];

        AssertRejected(SampleMessages.RawFrame(MessageType.JobFailed, body), ProtocolError.InvalidFieldValue);
    }

    [Test]
    public void Decode_RejectsAJobFailedWithoutItsReason()
    {
        byte[] body = [2, 0, (byte)'n', (byte)'o'];

        AssertRejected(SampleMessages.RawFrame(MessageType.JobFailed, body), ProtocolError.BodyTooShort);
    }

    [Test]
    public void Decode_RejectsParameterLengthPastTheBodyEnd()
    {
        var body = SampleMessages.Body(SampleMessages.JobStart());
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(body.Length - 9), 6);

        AssertRejected(SampleMessages.RawFrame(MessageType.JobStart, body), ProtocolError.LengthPastBodyEnd);
    }

    [Test]
    public void Decode_RejectsHashCountPastTheBodyEnd()
    {
        var body = SampleMessages.Body(SampleMessages.Hello());
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(HelloHashCountOffset), 4);

        AssertRejected(SampleMessages.RawFrame(MessageType.Hello, body), ProtocolError.LengthPastBodyEnd);
    }

    [TestCase(new byte[] { 0xFF })]
    [TestCase(new byte[] { 0xC0, 0x80 })]
    [TestCase(new byte[] { 0xE2, 0x82 })]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 })]
    public void Decode_RejectsInvalidUtf8(byte[] text)
    {
        byte[] body = [(byte)text.Length, 0, .. text];

        AssertRejected(SampleMessages.RawFrame(MessageType.JobFailed, body), ProtocolError.InvalidUtf8);
    }

    [Test]
    public void Decode_RejectsErrorTextAboveItsCap()
    {
        const int Length = ProtocolConstants.MaxErrorTextBytes + 1;
        byte[] body = [.. BitConverter.GetBytes((ushort)Length), .. new byte[Length]];

        AssertRejected(SampleMessages.RawFrame(MessageType.JobFailed, body), ProtocolError.LimitExceeded);
    }

    [Test]
    public void Decode_RejectsJobNameAboveItsCap()
    {
        var body = SampleMessages.Body(SampleMessages.JobStart());
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(JobStartJobNameLengthOffset), ProtocolConstants.MaxJobNameBytes + 1);

        AssertRejected(SampleMessages.RawFrame(MessageType.JobStart, body), ProtocolError.LimitExceeded);
    }

    [Test]
    public void Decode_RejectsParametersAboveTheirCap()
    {
        var body = SampleMessages.Body(SampleMessages.JobStart());
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(body.Length - 9), ProtocolConstants.MaxParameterBytes + 1);

        AssertRejected(SampleMessages.RawFrame(MessageType.JobStart, body), ProtocolError.LimitExceeded);
    }

    [Test]
    public void Decode_RejectsHashCountAboveItsCap()
    {
        var body = SampleMessages.Body(SampleMessages.Hello());
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(HelloHashCountOffset), ProtocolConstants.MaxKnownLayoutHashes + 1);

        AssertRejected(SampleMessages.RawFrame(MessageType.Hello, body), ProtocolError.LimitExceeded);
    }

    [Test]
    public void Decode_RejectsZeroTicks()
    {
        var body = SampleMessages.Body(SampleMessages.JobStart());
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(JobStartTicksOffset), 0);

        AssertRejected(SampleMessages.RawFrame(MessageType.JobStart, body), ProtocolError.InvalidFieldValue);
    }

    [Test]
    public void Decode_RejectsAColumnBothLiveAndWritable()
    {
        var body = SampleMessages.Body(SampleMessages.JobStart());
        var writable = BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(20));
        BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(JobStartLiveColumnsOffset), writable);

        AssertRejected(SampleMessages.RawFrame(MessageType.JobStart, body), ProtocolError.InvalidFieldValue);
    }

    [Test]
    public void Decode_RejectsZeroJobTimeout()
    {
        var body = SampleMessages.Body(SampleMessages.Welcome());
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), 0);

        AssertRejected(SampleMessages.RawFrame(MessageType.Welcome, body), ProtocolError.InvalidFieldValue);
    }

    [Test]
    public void Decode_RejectsUndefinedLogLevel()
    {
        var body = SampleMessages.Body(SampleMessages.Welcome());
        body[16] = 6;

        AssertRejected(SampleMessages.RawFrame(MessageType.Welcome, body), ProtocolError.InvalidFieldValue);
    }

    [Test]
    public void Decode_RejectsEmptyJobName()
    {
        var valid = SampleMessages.Body(SampleMessages.JobStart());
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(valid.AsSpan(JobStartJobNameLengthOffset));
        byte[] body = [.. valid[..JobStartJobNameLengthOffset], 0, 0, .. valid[(JobStartJobNameLengthOffset + 2 + nameLength)..]];

        AssertRejected(SampleMessages.RawFrame(MessageType.JobStart, body), ProtocolError.InvalidFieldValue);
    }

    [Test]
    public void Decode_RejectsRowRangeThatOverflows()
    {
        var body = SampleMessages.Body(SampleMessages.JobStart());
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), uint.MaxValue);

        AssertRejected(SampleMessages.RawFrame(MessageType.JobStart, body), ProtocolError.InvalidFieldValue);
    }

    [Test]
    public void Decode_RejectsNonFiniteDeltaTime()
    {
        var body = SampleMessages.Body(SampleMessages.JobStart());
        BinaryPrimitives.WriteDoubleLittleEndian(body.AsSpan(36), double.NaN);

        AssertRejected(SampleMessages.RawFrame(MessageType.JobStart, body), ProtocolError.InvalidFieldValue);
    }

    [Test]
    public void Decode_RejectsMoreRowsChangedThanRan()
    {
        var body = SampleMessages.Body(new JobDoneMessage(0, 10, 10, TimeSpan.Zero));
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), 11);

        AssertRejected(SampleMessages.RawFrame(MessageType.JobDone, body), ProtocolError.InvalidFieldValue);
    }

    [Test]
    public void ProtocolException_MessageIsOneLine()
    {
        var exception = Assert.Throws<ProtocolException>(() => FrameDecoder.Decode(SampleMessages.RawFrame((MessageType)99, [])));

        Assert.That(exception!.Message, Does.Not.Contain('\n').And.Contains("99"));
    }

    private static void AssertRejected(byte[] frame, ProtocolError expected)
    {
        var exception = Assert.Throws<ProtocolException>(() => FrameDecoder.Decode(frame));
        Assert.That(exception!.Error, Is.EqualTo(expected), exception.Message);
    }
}
