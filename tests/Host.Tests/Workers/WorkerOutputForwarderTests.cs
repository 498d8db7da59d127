using Microsoft.Extensions.Logging;
using SimHost.Host.Workers;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.Host.Workers;

/// <summary>A worker's output reaches the host's logger: events at their own level and shape, other lines verbatim.</summary>
[TestFixture]
public sealed class WorkerOutputForwarderTests
{
    private static readonly DateTimeOffset s_time = new(2026, 12, 2, 1, 58, 27, TimeSpan.Zero);

    [TestCase(WorkerLogLevel.Verbose, LogLevel.Trace)]
    [TestCase(WorkerLogLevel.Debug, LogLevel.Debug)]
    [TestCase(WorkerLogLevel.Information, LogLevel.Information)]
    [TestCase(WorkerLogLevel.Warning, LogLevel.Warning)]
    [TestCase(WorkerLogLevel.Error, LogLevel.Error)]
    [TestCase(WorkerLogLevel.Fatal, LogLevel.Critical)]
    public void Event_IsLoggedAtItsOwnLevel_FromEitherStream(object workerLevel, LogLevel hostLevel)
    {
        var logger = new CollectingLogger(LogLevel.Trace);
        var forwarder = new WorkerOutputForwarder(logger, 3);
        var line = WorkerLogLine.Encode(Event((WorkerLogLevel)workerLevel));

        forwarder.ForwardError(line);
        forwarder.ForwardOutput(line);

        Assert.That(logger.Events.Select(e => e.Level), Is.EqualTo(new[] { hostLevel, hostLevel }));
    }

    [Test]
    public void Event_CarriesTheWorkerCategoryTemplatePropertiesEventIdAndException()
    {
        var logger = new RecordingLogger();
        var forwarder = new WorkerOutputForwarder(logger, 3);

        forwarder.ForwardError(WorkerLogLine.Encode(Event(WorkerLogLevel.Error) with
        {
            Exception = "System.InvalidOperationException: boom\n   at Job.Execute()",
        }));

        var record = logger.Records.Single();
        Assert.Multiple(() =>
        {
            Assert.That(record.Level, Is.EqualTo(LogLevel.Error));
            Assert.That(record.EventId.Id, Is.EqualTo(77));
            Assert.That(record.Message, Is.EqualTo("worker 3: Job \"physics.step\" failed on 64 rows"), "a logger that shows no property still says whose line it is");
            Assert.That(record.Properties["WorkerId"], Is.EqualTo(3u), "the host's slot, not the worker's own property");
            Assert.That(record.Properties["WorkerCategory"], Is.EqualTo("SimHost.Worker.JobExecutor"));
            Assert.That(record.Properties["Job"], Is.EqualTo("physics.step"));
            Assert.That(record.Properties["Rows"], Is.EqualTo(64L));
            Assert.That(record.Properties["{OriginalFormat}"], Is.EqualTo("Job {Job} failed on {Rows} rows"));
            Assert.That(record.Exception, Is.TypeOf<WorkerLoggedException>());
            Assert.That(record.Exception!.Message, Is.EqualTo("System.InvalidOperationException: boom"));
            Assert.That(record.Exception.ToString(), Is.EqualTo("System.InvalidOperationException: boom\n   at Job.Execute()"));
        });
    }

    [Test]
    public void Event_WhoseTemplateNamesTheWorker_IsNotPrefixedASecondTime()
    {
        var logger = new RecordingLogger();

        new WorkerOutputForwarder(logger, 2).ForwardError(WorkerLogLine.Encode(Event(WorkerLogLevel.Information) with
        {
            Template = "Worker {WorkerId} connected",
            Message = "Worker 2 connected",
            Properties = [new("WorkerId", 2L)],
        }));

        Assert.That(logger.Records.Single().Message, Is.EqualTo("Worker 2 connected"));
    }

    [Test]
    public void Event_WithoutATemplate_RendersItsMessage()
    {
        var logger = new RecordingLogger();

        new WorkerOutputForwarder(logger, 1).ForwardError(WorkerLogLine.Encode(Event(WorkerLogLevel.Warning) with { Template = null, Properties = [] }));

        var record = logger.Records.Single();
        Assert.That(record.Properties["WorkerMessage"], Is.EqualTo("Job \"physics.step\" failed on 64 rows"));
        Assert.That(record.Properties["{OriginalFormat}"], Is.EqualTo("{WorkerMessage:l}"));
    }

    [Test]
    public void Event_BelowTheHostsLevel_IsNotLogged()
    {
        var logger = new CollectingLogger(LogLevel.Information);

        new WorkerOutputForwarder(logger, 1).ForwardError(WorkerLogLine.Encode(Event(WorkerLogLevel.Debug)));

        Assert.That(logger.Events, Is.Empty);
    }

    [TestCase("Hello from a job's Console.WriteLine")]
    [TestCase("INF looks like the old prefix")]
    [TestCase("{\"t\":\"2026-12-02T01:58:27Z\",\"l\":\"Information\",\"m\":\"cut")]
    public void OtherStandardOutputLine_IsLoggedVerbatim_AsInformation(string line) =>
        AssertVerbatim(f => f.ForwardOutput(line), WorkerOutputForwarder.OutputLevel, line);

    [TestCase("Process terminated. test.fail-fast ends the worker on purpose")]
    [TestCase("{not json at all")]
    [TestCase("\u0000\u0001 binary \uffff")]
    public void OtherStandardErrorLine_IsLoggedVerbatim_AsWarning(string line) =>
        AssertVerbatim(f => f.ForwardError(line), WorkerOutputForwarder.ErrorLevel, line);

    [TestCase("   at SimHost.Tests.Jobs.FailFastJob.Execute(JobContext context)")]
    [TestCase("--- End of stack trace from previous location ---")]
    public void StackFrameLine_IsLoggedVerbatim_UnderItsOwnProperty(string line)
    {
        var logger = new CollectingLogger(LogLevel.Trace);

        new WorkerOutputForwarder(logger, 3).ForwardError(line);

        var (level, properties) = logger.Events.Single();
        Assert.Multiple(() =>
        {
            Assert.That(level, Is.EqualTo(WorkerOutputForwarder.ErrorLevel));
            Assert.That(properties[WorkerOutputForwarder.StackFrameProperty], Is.EqualTo(line), "a console can leave it out");
            Assert.That(properties.ContainsKey("WorkerLine"), Is.False);
            Assert.That(logger.Lines.Single(), Is.EqualTo($"Warning worker 3: {line}"), "a logger that shows no property still gets it whole");
        });
    }

    [Test]
    public void OversizedLine_IsLoggedShortened_SayingHowMuchWasCut()
    {
        var logger = new CollectingLogger(LogLevel.Trace);
        var line = "{" + new string('x', WorkerLogLine.MaxLineChars + 99);

        new WorkerOutputForwarder(logger, 1).ForwardError(line);

        var (level, properties) = logger.Events.Single();
        Assert.That(level, Is.EqualTo(LogLevel.Warning));
        Assert.That(
            (string)properties["WorkerLine"]!,
            Does.StartWith(line[..WorkerLogLine.MaxLineChars]).And.EndWith("(100 more characters not logged)"));
    }

    [Test]
    public void EndOfStreamAndEmptyLines_AreIgnored()
    {
        var logger = new CollectingLogger(LogLevel.Trace);
        var forwarder = new WorkerOutputForwarder(logger, 1);

        forwarder.ForwardOutput(null);
        forwarder.ForwardError(null);
        forwarder.ForwardError(string.Empty);

        Assert.That(logger.Events, Is.Empty);
    }

    private static void AssertVerbatim(Action<WorkerOutputForwarder> forward, LogLevel level, string line)
    {
        var logger = new CollectingLogger(LogLevel.Trace);

        forward(new WorkerOutputForwarder(logger, 3));

        var (loggedLevel, properties) = logger.Events.Single();
        Assert.Multiple(() =>
        {
            Assert.That(loggedLevel, Is.EqualTo(level));
            Assert.That(properties["WorkerId"], Is.EqualTo(3u));
            Assert.That(properties["WorkerLine"], Is.EqualTo(line));
            Assert.That(logger.Lines.Single(), Is.EqualTo($"{level} worker 3: {line}"), "a logger that shows no property still says whose line it is");
        });
    }

    private static WorkerLogEvent Event(WorkerLogLevel level) => new(
        s_time,
        level,
        "SimHost.Worker.JobExecutor",
        77,
        "Job \"physics.step\" failed on 64 rows",
        "Job {Job} failed on {Rows} rows",
        [new("Job", "physics.step"), new("Rows", 64L), new("WorkerId", 9L)],
        null);

    /// <summary>Keeps every call's level, event id, properties, message and exception.</summary>
    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, EventId EventId, Dictionary<string, object?> Properties, string Message, Exception? Exception)> Records { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = ((IEnumerable<KeyValuePair<string, object?>>)state!).ToDictionary(p => p.Key, p => p.Value);
            Records.Add((logLevel, eventId, properties, formatter(state, exception), exception));
        }
    }
}
