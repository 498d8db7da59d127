using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.SharedLayout.Protocol;

/// <summary>The worker's JobCatalog report: its encoding, its caps and every way a malformed one is refused.</summary>
[TestFixture]
public sealed class JobCatalogMessageTests
{
    [Test]
    public void JobCatalog_RoundTripsNamesAndFailures()
    {
        var message = SampleMessages.JobCatalog();

        var frame = FrameDecoder.Decode(SampleMessages.Encode(message, sequence: 0));

        Assert.Multiple(() =>
        {
            Assert.That(frame.Type, Is.EqualTo(MessageType.JobCatalog));
            Assert.That(frame.Sequence, Is.Zero);
            Assert.That(frame.Message, Is.EqualTo(message));
            Assert.That(((JobCatalogMessage)frame.Message).Failures[0].Error, Is.EqualTo(JobLoadError.DependencyMissing));
        });
    }

    [Test]
    public void JobCatalog_EmptyReport_IsFourBytesOfCounts()
    {
        var body = SampleMessages.Body(new JobCatalogMessage([], []));

        Assert.That(body, Is.EqualTo(new byte[] { 0, 0, 0, 0 }));
    }

    [Test]
    public void JobCatalog_BodyLayout_MatchesTheDocumentedOffsets()
    {
        var body = SampleMessages.Body(new JobCatalogMessage(["ab"], [new(JobLoadError.TypeLoadFailed, "/p", "", "d")]));

        // u16 count, "ab"; u16 count, u8 code, "/p", "", "d".
        byte[] expected = [1, 0, 2, 0, (byte)'a', (byte)'b', 1, 0, 4, 2, 0, (byte)'/', (byte)'p', 0, 0, 1, 0, (byte)'d'];
        Assert.That(body, Is.EqualTo(expected));
    }

    [Test]
    public void JobCatalog_LargestMessage_FitsOneFrame()
    {
        var names = Enumerable.Range(0, ProtocolConstants.MaxCatalogJobs)
            .Select(i => $"{i:D3}" + new string('\u20AC', (ProtocolConstants.MaxJobNameBytes - 3) / 3)).ToImmutableArray();
        var failure = new JobLoadFailure(
            JobLoadError.AssemblyInvalid, new string('p', 10_000), new string('n', 10_000), new string('d', 10_000));
        var largest = new JobCatalogMessage(names, [.. Enumerable.Repeat(failure, ProtocolConstants.MaxCatalogFailures)]);

        Assert.That(FrameEncoder.GetFrameSize(largest), Is.LessThanOrEqualTo(ProtocolConstants.MaxFrameBytes));
        Assert.That(FrameDecoder.Decode(SampleMessages.Encode(largest)).Message, Is.EqualTo(largest));
    }

    [Test]
    public void JobCatalog_TruncatesLongFailureFields_AtTheirCaps()
    {
        var message = new JobCatalogMessage([], [new(JobLoadError.AssemblyMissing, new string('p', 600), new string('n', 300), new string('d', 2000))]);

        var failure = message.Failures[0];
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetByteCount(failure.AssemblyPath), Is.EqualTo(ProtocolConstants.MaxAssemblyPathBytes));
            Assert.That(Encoding.UTF8.GetByteCount(failure.JobName), Is.EqualTo(ProtocolConstants.MaxJobNameBytes));
            Assert.That(Encoding.UTF8.GetByteCount(failure.Detail), Is.EqualTo(ProtocolConstants.MaxErrorTextBytes));
        });
    }

    [Test]
    public void JobCatalog_Constructor_RefusesWhatCannotBeSent()
    {
        var tooManyNames = Enumerable.Range(0, ProtocolConstants.MaxCatalogJobs + 1).Select(i => $"job{i}").ToImmutableArray();
        var failure = new JobLoadFailure(JobLoadError.AssemblyMissing, "/a.dll", "", "gone");

        Assert.Multiple(() =>
        {
            Assert.That(() => new JobCatalogMessage(tooManyNames, []), Throws.ArgumentException);
            Assert.That(() => new JobCatalogMessage([], [.. Enumerable.Repeat(failure, ProtocolConstants.MaxCatalogFailures + 1)]), Throws.ArgumentException);
            Assert.That(() => new JobCatalogMessage([""], []), Throws.ArgumentException);
            Assert.That(() => new JobCatalogMessage([new string('x', ProtocolConstants.MaxJobNameBytes + 1)], []), Throws.ArgumentException);
            Assert.That(() => new JobCatalogMessage([], [failure with { AssemblyPath = "" }]), Throws.ArgumentException);
            Assert.That(() => new JobCatalogMessage([], [failure with { Error = (JobLoadError)99 }]), Throws.ArgumentException);
        });
    }

    [Test]
    public void FromCatalog_ReportsTheCatalogsNamesAndFailures()
    {
        var catalog = JobCatalog.LoadEach([typeof(JobCatalogMessageTests).Assembly], ["/no/such/jobs.dll"]);

        var message = JobCatalogMessage.FromCatalog(catalog);

        Assert.Multiple(() =>
        {
            Assert.That(message.JobNames, Is.EqualTo(catalog.Names));
            Assert.That(message.Failures, Has.Length.EqualTo(1));
            Assert.That(message.Failures[0].Error, Is.EqualTo(JobLoadError.AssemblyMissing));
            Assert.That(message.Failures[0].AssemblyPath, Is.EqualTo("/no/such/jobs.dll"));
        });
    }

    [Test]
    public void Decode_RejectsUndefinedErrorCode()
    {
        var body = SampleMessages.Body(SampleMessages.JobCatalog());
        body[FirstFailureOffset(body)] = 0;

        AssertRejected(body, ProtocolError.InvalidFieldValue);
    }

    [Test]
    public void Decode_RejectsEmptyJobName()
    {
        byte[] body = [1, 0, 0, 0, 0, 0];

        AssertRejected(body, ProtocolError.InvalidFieldValue);
    }

    [Test]
    public void Decode_RejectsEmptyAssemblyPath()
    {
        byte[] body = [0, 0, 1, 0, (byte)JobLoadError.AssemblyMissing, 0, 0, 0, 0, 0, 0];

        AssertRejected(body, ProtocolError.InvalidFieldValue);
    }

    [Test]
    public void Decode_RejectsJobCountAboveItsCap()
    {
        var body = SampleMessages.Body(SampleMessages.JobCatalog());
        BinaryPrimitives.WriteUInt16LittleEndian(body, ProtocolConstants.MaxCatalogJobs + 1);

        AssertRejected(body, ProtocolError.LimitExceeded);
    }

    [Test]
    public void Decode_RejectsFailureCountAboveItsCap()
    {
        var body = SampleMessages.Body(SampleMessages.JobCatalog());
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(FirstFailureOffset(body) - 2), ProtocolConstants.MaxCatalogFailures + 1);

        AssertRejected(body, ProtocolError.LimitExceeded);
    }

    [Test]
    public void Decode_RejectsJobCountPastTheBodyEnd()
    {
        byte[] body = [3, 0, 0, 0];

        AssertRejected(body, ProtocolError.LengthPastBodyEnd);
    }

    [Test]
    public void Decode_RejectsDetailAboveItsCap()
    {
        const int Length = ProtocolConstants.MaxErrorTextBytes + 1;
        byte[] body = [0, 0, 1, 0, (byte)JobLoadError.AssemblyMissing, 1, 0, (byte)'/', 0, 0, .. BitConverter.GetBytes((ushort)Length), .. new byte[Length]];

        AssertRejected(body, ProtocolError.LimitExceeded);
    }

    [Test]
    public void Decode_RejectsInvalidUtf8InAJobName()
    {
        byte[] body = [1, 0, 1, 0, 0xFF, 0, 0];

        AssertRejected(body, ProtocolError.InvalidUtf8);
    }

    [Test]
    public void Decode_RejectsATruncatedFailure()
    {
        var body = SampleMessages.Body(SampleMessages.JobCatalog())[..^1];

        AssertRejected(body, ProtocolError.LengthPastBodyEnd);
    }

    [Test]
    public void Decode_RejectsBytesAfterTheLastFailure()
    {
        byte[] body = [.. SampleMessages.Body(SampleMessages.JobCatalog()), 0];

        AssertRejected(body, ProtocolError.TrailingBytes);
    }

    [Test]
    public void Decode_RejectsAMissingFailureCount()
    {
        byte[] body = [0, 0];

        AssertRejected(body, ProtocolError.BodyTooShort);
    }

    /// <summary>The offset of the first failure's error code: after the names and the u16 failure count.</summary>
    private static int FirstFailureOffset(byte[] body)
    {
        var offset = 2;
        for (var count = BinaryPrimitives.ReadUInt16LittleEndian(body); count > 0; count--)
        {
            offset += 2 + BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(offset));
        }

        return offset + 2;
    }

    private static void AssertRejected(byte[] body, ProtocolError expected)
    {
        var exception = Assert.Throws<ProtocolException>(() => FrameDecoder.Decode(SampleMessages.RawFrame(MessageType.JobCatalog, body)));
        Assert.That(exception!.Error, Is.EqualTo(expected), exception.Message);
    }
}
