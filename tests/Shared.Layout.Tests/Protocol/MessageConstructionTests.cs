using System.Collections.Immutable;
using System.Text;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.SharedLayout.Protocol;

[TestFixture]
public sealed class MessageConstructionTests
{
    [Test]
    public void JobStart_RejectsJobNameAboveItsCap()
    {
        var name = new string('j', ProtocolConstants.MaxJobNameBytes + 1);

        Assert.That(() => JobStartWith(jobName: name), Throws.ArgumentException);
    }

    [Test]
    public void JobStart_CountsTheCapInUtf8BytesNotChars()
    {
        // 100 euro signs are 100 chars but 300 UTF-8 bytes.
        var name = new string('\u20AC', 100);

        Assert.That(() => JobStartWith(jobName: name), Throws.ArgumentException);
    }

    [Test]
    public void JobStart_RejectsEmptyJobName()
    {
        Assert.That(() => JobStartWith(jobName: ""), Throws.ArgumentException);
    }

    [Test]
    public void JobStart_RejectsLoneSurrogateInJobName()
    {
        Assert.That(() => JobStartWith(jobName: "job\uD800"), Throws.ArgumentException);
    }

    [Test]
    public void JobStart_RejectsParametersAboveTheirCap()
    {
        var parameters = new byte[ProtocolConstants.MaxParameterBytes + 1];

        Assert.That(() => JobStartWith(parameters: parameters), Throws.ArgumentException);
    }

    [Test]
    public void JobStart_RejectsRowRangeThatOverflows()
    {
        Assert.That(() => JobStartWith(rowStart: unchecked((int)uint.MaxValue), rowCount: 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void JobStart_TreatsDefaultParametersAsEmpty()
    {
        Assert.That(JobStartWith(parameters: default).Range.Parameters.ToArray(), Is.Empty);
    }

    [Test]
    public void JobStart_EqualityComparesParameterBytes()
    {
        var message = JobStartWith(parameters: [1, 2]);
        var sameBytes = JobStartWith(parameters: [1, 2]);
        var otherBytes = JobStartWith(parameters: [1, 3]);

        Assert.That(message, Is.EqualTo(sameBytes));
        Assert.That(message, Is.Not.EqualTo(otherBytes));
    }

    [Test]
    public void JobFailed_TruncatesLongTextInsteadOfRejecting()
    {
        var message = new JobFailedMessage(new string('e', 5000));

        Assert.That(message.ErrorText, Has.Length.EqualTo(ProtocolConstants.MaxErrorTextBytes));
    }

    [Test]
    public void JobFailed_TruncatesAtACharacterBoundary()
    {
        // 3-byte characters: 1024 bytes hold 341 whole characters (1023 bytes), never a split one.
        var message = new JobFailedMessage(new string('\u20AC', 500));

        Assert.That(message.ErrorText, Is.EqualTo(new string('\u20AC', 341)));
        Assert.That(FrameDecoder.Decode(SampleMessages.Encode(message)).Message, Is.EqualTo(message));
    }

    [Test]
    public void JobFailed_NeverSplitsASurrogatePair()
    {
        // Each emoji is 4 UTF-8 bytes; 1022 'a' bytes leave 2, too few for the next one.
        var text = new string('a', 1022) + "\U0001F600\U0001F600";

        var message = new JobFailedMessage(text);

        Assert.That(message.ErrorText, Is.EqualTo(new string('a', 1022)));
    }

    [Test]
    public void JobFailed_ReplacesLoneSurrogatesSoTheTextEncodes()
    {
        var message = new JobFailedMessage("bad \uDC00 text");

        Assert.That(message.ErrorText, Is.EqualTo("bad \uFFFD text"));
    }

    [Test]
    public void JobFailed_KeepsShortTextAsIs()
    {
        const string Text = "short";

        Assert.That(new JobFailedMessage(Text).ErrorText, Is.SameAs(Text));
    }

    [Test]
    public void JobDone_RejectsMoreRowsChangedThanRan()
    {
        Assert.That(() => new JobDoneMessage(0, 10, 11, TimeSpan.Zero), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void JobDone_RejectsNegativeElapsed()
    {
        Assert.That(() => new JobDoneMessage(0, 10, 1, TimeSpan.FromTicks(-1)), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Welcome_DropsSubMillisecondTimeout()
    {
        var message = new WelcomeMessage(1, 1, TimeSpan.FromMicroseconds(1500), WorkerLogLevel.Debug);

        Assert.That(message.JobTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public void Welcome_RejectsTimeoutUnderOneMillisecond()
    {
        Assert.That(
            () => new WelcomeMessage(1, 1, TimeSpan.FromMicroseconds(999), WorkerLogLevel.Debug),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Welcome_RejectsUndefinedLogLevel()
    {
        Assert.That(
            () => new WelcomeMessage(1, 1, TimeSpan.FromSeconds(1), (WorkerLogLevel)9),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Hello_RejectsMoreHashesThanItsCap()
    {
        var hashes = ImmutableArray.Create(new ulong[ProtocolConstants.MaxKnownLayoutHashes + 1]);

        Assert.That(() => new HelloMessage(1, 1, 1, SampleMessages.Token, hashes), Throws.ArgumentException);
    }

    [Test]
    public void AuthToken_RoundTripsThroughHex()
    {
        var token = AuthToken.CreateRandom();

        Assert.That(AuthToken.TryParseHex(token.ToHexString(), out var parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(token));
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")]
    public void AuthToken_TryParseHexRejectsMalformedText(string hex)
    {
        Assert.That(AuthToken.TryParseHex(hex, out _), Is.False);
    }

    [Test]
    public void AuthToken_ToStringDoesNotRevealTheSecret()
    {
        var token = AuthToken.CreateRandom();

        Assert.That(token.ToString(), Does.Not.Contain(token.ToHexString()[..8]));
    }

    [Test]
    public void AuthToken_RejectsWrongLength()
    {
        Assert.That(() => new AuthToken(new byte[31]), Throws.ArgumentException);
    }

    [Test]
    public void AuthToken_TwoRandomTokensDiffer()
    {
        var first = AuthToken.CreateRandom();
        var second = AuthToken.CreateRandom();

        Assert.That(first, Is.Not.EqualTo(second));
    }

    [Test]
    public void ErrorTextCap_IsInUtf8Bytes()
    {
        var message = new JobFailedMessage(new string('\u00E9', 1000));

        Assert.That(Encoding.UTF8.GetByteCount(message.ErrorText), Is.EqualTo(ProtocolConstants.MaxErrorTextBytes));
    }

    private static JobStartMessage JobStartWith(
        string jobName = "job",
        int rowStart = 0,
        int rowCount = 64,
        byte[]? parameters = null) =>
        new(new JobRange
        {
            FrameId = 1,
            JobName = jobName,
            SegmentPath = "/dev/shm/segment",
            SegmentGeneration = 1,
            RowStart = rowStart,
            RowCount = rowCount,
            DeltaTime = 0.016,
            Parameters = parameters,
        });
}
