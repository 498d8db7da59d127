using SimHost.Layout.Protocol;

namespace SimHost.Tests.SharedLayout.Protocol;

/// <summary>A worker log event survives its line, and nothing that is not one is mistaken for one.</summary>
[TestFixture]
public sealed class WorkerLogLineTests
{
    private static readonly DateTimeOffset s_time = new(2026, 12, 2, 1, 58, 27, 123, TimeSpan.Zero);

    [Test]
    public void Decode_ReturnsEveryFieldOfTheEncodedEvent()
    {
        var sent = new WorkerLogEvent(
            s_time.AddTicks(4567),
            WorkerLogLevel.Warning,
            "SimHost.Worker.JobExecutor",
            0x1234_5678,
            "Job \"physics.step\" failed on 64 rows: ünïcode ✓",
            "Job {Job} failed on {Rows} rows: {Detail}",
            [
                new("Job", "physics.step"),
                new("Rows", 64L),
                new("Large", ulong.MaxValue),
                new("Ratio", 0.25),
                new("Flag", true),
                new("Nothing", null),
            ],
            "System.InvalidOperationException: boom\n   at Job.Execute()\r\n   at Runner.Run()");

        var line = WorkerLogLine.Encode(sent);
        var decoded = WorkerLogLine.TryDecode(line, out var received);

        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.True, line);
            Assert.That(line, Does.Not.Contain('\n').And.Not.Contain('\r'), "one event, one line");
            Assert.That(received!.Timestamp, Is.EqualTo(sent.Timestamp));
            Assert.That(received.Level, Is.EqualTo(sent.Level));
            Assert.That(received.Category, Is.EqualTo(sent.Category));
            Assert.That(received.EventId, Is.EqualTo(sent.EventId));
            Assert.That(received.Message, Is.EqualTo(sent.Message));
            Assert.That(received.Template, Is.EqualTo(sent.Template));
            Assert.That(received.Properties, Is.EqualTo(sent.Properties));
            Assert.That(received.Exception, Is.EqualTo(sent.Exception));
        });
    }

    [TestCase(WorkerLogLevel.Verbose)]
    [TestCase(WorkerLogLevel.Debug)]
    [TestCase(WorkerLogLevel.Information)]
    [TestCase(WorkerLogLevel.Warning)]
    [TestCase(WorkerLogLevel.Error)]
    [TestCase(WorkerLogLevel.Fatal)]
    public void EveryLevel_RoundTrips(object level)
    {
        var sent = Minimal((WorkerLogLevel)level);

        Assert.That(WorkerLogLine.TryDecode(WorkerLogLine.Encode(sent), out var received), Is.True);
        Assert.That(received!.Level, Is.EqualTo((WorkerLogLevel)level));
    }

    [Test]
    public void MinimalEvent_HasNoTemplatePropertiesOrException()
    {
        var line = WorkerLogLine.Encode(Minimal(WorkerLogLevel.Information));

        Assert.That(WorkerLogLine.TryDecode(line, out var received), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(line, Does.Not.Contain("\"mt\"").And.Not.Contain("\"p\"").And.Not.Contain("\"x\"").And.Not.Contain("\"e\""));
            Assert.That(received!.Template, Is.Null);
            Assert.That(received.Properties, Is.Empty);
            Assert.That(received.Exception, Is.Null);
            Assert.That(received.EventId, Is.Zero);
        });
    }

    [Test]
    public void OtherPropertyValues_TravelAsTheirInvariantText()
    {
        var sent = Minimal(WorkerLogLevel.Information) with
        {
            Properties = [new("Level", WorkerLogLevel.Error), new("NotANumber", double.NaN), new("Small", (short)-3), new("Price", 1.5m)],
        };

        Assert.That(WorkerLogLine.TryDecode(WorkerLogLine.Encode(sent), out var received), Is.True);
        Assert.That(
            received!.Properties,
            Is.EqualTo(new KeyValuePair<string, object?>[] { new("Level", "Error"), new("NotANumber", "NaN"), new("Small", -3L), new("Price", 1.5) }));
    }

    [Test]
    public void AnyMessageText_RoundTrips() =>
        CsCheck.Gen.String.SampleSeeded(text =>
        {
            var sent = Minimal(WorkerLogLevel.Information) with { Message = text, Exception = text };
            Assert.That(WorkerLogLine.TryDecode(WorkerLogLine.Encode(sent), out var received), Is.True);
            Assert.That((received!.Message, received.Exception), Is.EqualTo((text, text)));
        });

    [Test]
    public void OversizedEvent_IsShortenedToOneLineThatStillDecodes()
    {
        var huge = new string('\u0001', WorkerLogLine.MaxLineChars);
        var sent = Minimal(WorkerLogLevel.Error) with
        {
            Category = huge,
            Message = huge,
            Template = huge,
            Exception = huge,
            Properties = [new("Detail", huge)],
        };

        var line = WorkerLogLine.Encode(sent);

        Assert.That(line, Has.Length.LessThanOrEqualTo(WorkerLogLine.MaxLineChars));
        Assert.That(WorkerLogLine.TryDecode(line, out var received), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(received!.Level, Is.EqualTo(WorkerLogLevel.Error));
            Assert.That(received.Message, Does.StartWith(huge[..WorkerLogLine.ShortenedFieldChars]).And.EndWith("(shortened)"));
            Assert.That(received.Exception, Does.EndWith("(shortened)"));
            Assert.That(received.Template, Is.Null);
            Assert.That(received.Properties, Is.Empty);
        });
    }

    [TestCase("")]
    [TestCase("Hello from a job")]
    [TestCase("INF Worker 1 connected")]
    [TestCase("Process terminated. test.fail-fast ends the worker on purpose")]
    [TestCase("   at SimHost.Tests.Jobs.FailFastJob.Execute(JobContext context)")]
    [TestCase("{}")]
    [TestCase("[1, 2]")]
    [TestCase("{\"t\":\"2026-12-02T01:58:27Z\",\"l\":\"Information\"}")]
    [TestCase("{\"t\":\"2026-12-02T01:58:27Z\",\"m\":\"no level\"}")]
    [TestCase("{\"l\":\"Information\",\"m\":\"no time\"}")]
    [TestCase("{\"t\":\"yesterday\",\"l\":\"Information\",\"m\":\"bad time\"}")]
    [TestCase("{\"t\":\"2026-12-02T01:58:27Z\",\"l\":\"Loud\",\"m\":\"unknown level\"}")]
    [TestCase("{\"t\":\"2026-12-02T01:58:27Z\",\"l\":\"2\",\"m\":\"numeric level\"}")]
    [TestCase("{\"t\":\"2026-12-02T01:58:27Z\",\"l\":\"Information\",\"m\":7}")]
    [TestCase("{\"t\":\"2026-12-02T01:58:27Z\",\"l\":\"Information\",\"m\":\"cut")]
    [TestCase("{\"t\":\"2026-12-02T01:58:27Z\",\"l\":\"Information\",\"m\":\"x\"} trailing")]
    [TestCase("{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{")]
    [TestCase("{\"t\":\"\ud800\"}")]
    [TestCase("{\u0000\u0001\u0002\uffff")]
    public void NotAnEvent_IsNotDecoded(string line)
    {
        Assert.That(WorkerLogLine.TryDecode(line, out var logEvent), Is.False);
        Assert.That(logEvent, Is.Null);
    }

    [Test]
    public void LineLongerThanTheLimit_IsNotDecoded()
    {
        var padding = new string(' ', WorkerLogLine.MaxLineChars);
        var line = "{\"t\":\"2026-12-02T01:58:27Z\",\"l\":\"Information\",\"m\":\"x\"" + padding + "}";

        Assert.That(WorkerLogLine.TryDecode(line, out _), Is.False);
    }

    [Test]
    public void UnknownMembers_AreIgnored()
    {
        const string Line = "{\"t\":\"2026-12-02T01:58:27Z\",\"l\":\"Debug\",\"m\":\"x\",\"future\":{\"a\":[1]},\"p\":{\"Shape\":{\"a\":1}}}";

        Assert.That(WorkerLogLine.TryDecode(Line, out var received), Is.True);
        Assert.That(received!.Properties.Single(), Is.EqualTo(new KeyValuePair<string, object?>("Shape", "{\"a\":1}")));
    }

    [Test]
    public void AnyText_NeverThrows() =>
        CsCheck.Gen.String.SampleSeeded(text =>
        {
            Assert.That(() => WorkerLogLine.TryDecode("{" + text, out _), Throws.Nothing);
            Assert.That(() => WorkerLogLine.TryDecode(text, out _), Throws.Nothing);
        });

    private static WorkerLogEvent Minimal(WorkerLogLevel level) =>
        new(s_time, level, "SimHost.Worker.WorkerSession", 0, "message", null, [], null);
}
