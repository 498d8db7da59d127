using System.Buffers.Binary;
using System.Collections.Immutable;
using CsCheck;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.SharedLayout.Protocol;

[TestFixture]
public sealed class FrameCodecRoundTripTests
{
    // object, not ProtocolMessage: the protocol types are internal and NUnit calls only public test methods.
    private static IEnumerable<object> AllMessages() => SampleMessages.All();

    [TestCaseSource(nameof(AllMessages))]
    public void Decode_ReturnsTheEncodedMessageAndSequence(object testCase)
    {
        var message = (ProtocolMessage)testCase;
        var frame = SampleMessages.Encode(message, sequence: 0xFEED_0000_0000_0001UL);

        var decoded = FrameDecoder.Decode(frame);

        Assert.That(decoded.Sequence, Is.EqualTo(0xFEED_0000_0000_0001UL));
        Assert.That(decoded.Type, Is.EqualTo(message.Type));
        Assert.That(decoded.Message, Is.EqualTo(message));
    }

    [TestCaseSource(nameof(AllMessages))]
    public void Encode_WritesExactlyGetFrameSizeBytes(object testCase)
    {
        var message = (ProtocolMessage)testCase;
        var buffer = new byte[ProtocolConstants.MaxFrameBytes];

        var written = FrameEncoder.Encode(message, 1, buffer);

        Assert.That(written, Is.EqualTo(FrameEncoder.GetFrameSize(message)));
    }

    [Test]
    public void Encode_WritesTheDocumentedLittleEndianHeader()
    {
        var frame = SampleMessages.Encode(PingMessage.Instance, sequence: 0x0102030405060708UL);

        Assert.That(frame, Is.EqualTo(new byte[] { 12, 0, 0, 0, 5, 0, 6, 0, 8, 7, 6, 5, 4, 3, 2, 1 }));
    }

    [Test]
    public void Encode_WritesTheDocumentedJobDoneBody()
    {
        var body = SampleMessages.Body(new JobDoneMessage(rowStart: 1, rowCount: 2, rowsChanged: 2, TimeSpan.FromTicks(3)));

        Assert.That(body, Is.EqualTo(new byte[] { 1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 44, 1, 0, 0, 0, 0, 0, 0 }));
    }

    [Test]
    public void Encode_WritesTheTickCountAtItsDocumentedOffsetBeforeTheJobName()
    {
        var body = SampleMessages.Body(SampleMessages.JobStart());

        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(52)), Is.EqualTo(4u));
        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(56)), Is.EqualTo((ushort)"physics.integrate".Length));
        Assert.That(body, Has.Length.EqualTo(64 + "physics.integrate".Length + "/dev/shm/simhost-1234-physics-0".Length + 5));
    }

    [Test]
    public void Encode_WritesTheLiveColumnsAfterTheWritableOnes()
    {
        var body = SampleMessages.Body(new JobStartMessage(new JobRange { FrameId = 1, JobName = "j", SegmentPath = "/p", SegmentGeneration = 1, RowCount = 64, DeltaTime = 0.1, WritableColumns = 0b1000, LiveColumns = 0b0101 }));

        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(20)), Is.EqualTo(0b1000UL));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(28)), Is.EqualTo(0b0101UL));
    }

    [Test]
    public void JobStart_RejectsAColumnBothLiveAndWritable() =>
        Assert.That(
            () => new JobStartMessage(new JobRange { FrameId = 1, JobName = "physics.step", SegmentPath = "/dev/shm/x", SegmentGeneration = 1, RowCount = 64, DeltaTime = 0.01, WritableColumns = 0b10, LiveColumns = 0b11 }),
            Throws.ArgumentException.With.Message.Contains("both live and writable"));

    [Test]
    public void JobStart_RejectsZeroTicks()
    {
        Assert.That(
            () => new JobStartMessage(new JobRange { FrameId = 1, JobName = "physics.step", SegmentPath = "/dev/shm/x", SegmentGeneration = 1, RowCount = 64, DeltaTime = 0.01, Ticks = 0 }),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Encode_RejectsADestinationShorterThanTheFrame()
    {
        var message = SampleMessages.JobStart();
        var buffer = new byte[FrameEncoder.GetFrameSize(message) - 1];

        Assert.That(() => FrameEncoder.Encode(message, 1, buffer), Throws.ArgumentException);
    }

    [Test]
    public void Encode_LargestPossibleMessagesFitInOneFrame()
    {
        var largestJobStart = new JobStartMessage(new JobRange
        {
            FrameId = ulong.MaxValue,
            JobName = new string('\u20AC', ProtocolConstants.MaxJobNameBytes / 3),
            SegmentPath = new string('p', ProtocolConstants.MaxSegmentPathBytes),
            SegmentGeneration = uint.MaxValue,
            RowStart = 0,
            RowCount = unchecked((int)uint.MaxValue), // u32 max on the wire
            DeltaTime = double.MaxValue,
            Time = double.MinValue,
            Parameters = new byte[ProtocolConstants.MaxParameterBytes],
        });
        var largestHello = new HelloMessage(
            1, 1, 1, SampleMessages.Token, ImmutableArray.Create(new ulong[ProtocolConstants.MaxKnownLayoutHashes]));
        var largestFailure = new JobFailedMessage(new string('x', 10_000));

        Assert.That(FrameEncoder.GetFrameSize(largestJobStart), Is.LessThanOrEqualTo(ProtocolConstants.MaxFrameBytes));
        Assert.That(FrameEncoder.GetFrameSize(largestHello), Is.LessThanOrEqualTo(ProtocolConstants.MaxFrameBytes));
        Assert.That(FrameEncoder.GetFrameSize(largestFailure), Is.LessThanOrEqualTo(ProtocolConstants.MaxFrameBytes));
        Assert.That(FrameDecoder.Decode(SampleMessages.Encode(largestJobStart)).Message, Is.EqualTo(largestJobStart));
        Assert.That(FrameDecoder.Decode(SampleMessages.Encode(largestHello)).Message, Is.EqualTo(largestHello));
    }

    [Test]
    public void JobStart_RoundTripsForGeneratedFields()
    {
        // Characters below the surrogate range: 1 to 3 UTF-8 bytes each, so 80 of them always fit the 256-byte cap.
        var text = Gen.Char['\u0020', '\uD7FF'].Array[1, 80].Select(chars => new string(chars));
        var numbers = Gen.Select(Gen.ULong, Gen.UInt, Gen.UInt[0, 1 << 20], Gen.UInt[0, 1 << 20]);
        var times = Gen.Select(Gen.Double[-1e9, 1e9], Gen.Double[0, 1e9]);
        var parameters = Gen.Byte.Array[0, 64];
        var masks = Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong);
        var gen = Gen.Select(text, text, numbers, times, parameters, masks, (name, path, n, t, p, m) =>
            (Message: new JobStartMessage(new JobRange
            {
                FrameId = n.Item1,
                JobName = name,
                SegmentPath = path,
                SegmentGeneration = n.Item2,
                RowStart = (int)n.Item3,
                RowCount = (int)n.Item4,
                DeltaTime = t.Item1,
                Time = t.Item2,
                Parameters = p,
                WritableColumns = m.Item2,
                Ticks = 1,
                LiveColumns = m.Item3 & ~m.Item2,
            }), Sequence: m.Item1));

        gen.SampleSeeded(sample =>
        {
            var decoded = FrameDecoder.Decode(SampleMessages.Encode(sample.Message, sample.Sequence));
            return decoded.Sequence == sample.Sequence && decoded.Message.Equals(sample.Message);
        }, iterations: 300);
    }

    [Test]
    public void JobFailed_RoundTripsForGeneratedText()
    {
        Gen.String.SampleSeeded(text =>
        {
            var message = new JobFailedMessage(text);
            return FrameDecoder.Decode(SampleMessages.Encode(message)).Message.Equals(message);
        }, iterations: 300);
    }

    [TestCase((byte)JobFailureReason.JobThrew)]
    [TestCase((byte)JobFailureReason.UnknownJob)]
    [TestCase((byte)JobFailureReason.RowRangeTooLarge)]
    [TestCase((byte)JobFailureReason.SegmentRejected)]
    public void JobFailed_CarriesItsReasonCode(byte code)
    {
        var reason = (JobFailureReason)code;
        var decoded = (JobFailedMessage)FrameDecoder.Decode(SampleMessages.Encode(new JobFailedMessage("why", reason))).Message;

        Assert.That(decoded.Reason, Is.EqualTo(reason));
    }
}
