using System.Globalization;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;
using SimHost.Host.Running;
using SimHost.Host.Workers;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.Host.Running;

/// <summary>The library logs through Microsoft.Extensions.Logging; the CLI's Serilog sinks receive it unchanged.</summary>
[TestFixture]
public sealed class HostLoggingTests
{
    [TestCase(WorkerLogLevel.Error, LogEventLevel.Error)]
    [TestCase(WorkerLogLevel.Warning, LogEventLevel.Warning)]
    [TestCase(WorkerLogLevel.Verbose, LogEventLevel.Verbose)]
    [TestCase(WorkerLogLevel.Fatal, LogEventLevel.Fatal)]
    public void ForLibrary_ForwardedWorkerEventsKeepTheirLevelTemplateAndProperties(object workerLevel, LogEventLevel level)
    {
        var logEvent = Forward(forwarder => forwarder.ForwardError(WorkerLogLine.Encode(new WorkerLogEvent(
            DateTimeOffset.UtcNow,
            (WorkerLogLevel)workerLevel,
            "SimHost.Worker.JobExecutor",
            5,
            "Job physics.step rows 0+64 threw",
            "Job {JobName} rows {RowStart}+{RowCount} threw",
            [new("JobName", "physics.step"), new("RowStart", 0L), new("RowCount", 64L)],
            "System.InvalidOperationException: boom\n   at Job.Execute()"))));

        Assert.Multiple(() =>
        {
            Assert.That(logEvent.Level, Is.EqualTo(level));
            Assert.That(logEvent.Properties["WorkerId"].ToString(), Is.EqualTo("2"));
            Assert.That(logEvent.Properties["WorkerCategory"].ToString(), Is.EqualTo("\"SimHost.Worker.JobExecutor\""));
            Assert.That(logEvent.MessageTemplate.Text, Is.EqualTo("Job {JobName} rows {RowStart}+{RowCount} threw"));
            Assert.That(logEvent.Properties["RowCount"].ToString(), Is.EqualTo("64"));
            Assert.That(logEvent.Exception?.ToString(), Is.EqualTo("System.InvalidOperationException: boom\n   at Job.Execute()"));
        });
    }

    [TestCase(false, "Hello from a job", LogEventLevel.Information)]
    [TestCase(true, "Process terminated.", LogEventLevel.Warning)]
    public void ForLibrary_ForwardedOtherLinesKeepTheirWorkerIdAndText(bool isStandardError, string line, LogEventLevel level)
    {
        var logEvent = Forward(forwarder =>
        {
            if (isStandardError)
            {
                forwarder.ForwardError(line);
            }
            else
            {
                forwarder.ForwardOutput(line);
            }
        });

        Assert.Multiple(() =>
        {
            Assert.That(logEvent.Level, Is.EqualTo(level));
            Assert.That(logEvent.Properties["WorkerId"].ToString(), Is.EqualTo("2"));
            Assert.That(logEvent.RenderMessage(CultureInfo.InvariantCulture), Is.EqualTo(line), "rendered unquoted, as before");
        });
    }

    [TestCase("   at Arena.Jobs.FlyJob.Execute(SimHost.Layout.Jobs.JobContext)", false)]
    [TestCase("\tat System.Environment.FailFast(System.String)", false)]
    [TestCase("--- End of stack trace from previous location ---", false)]
    [TestCase("   --- End of inner exception stack trace ---", false)]
    [TestCase("Process terminated.", true)]
    [TestCase("fly job crashed its process on purpose", true)]
    [TestCase("at noon the job starts", true)]
    [TestCase("  at t=3 s the herd moved (north)", true)]
    [TestCase("   at Grazers.Jobs.WanderJob.Execute(JobContext context) in /src/WanderJob.cs:line 42", false)]
    [TestCase(" ---> System.InvalidOperationException: boom", true)]
    public void AWorkersCrashReport_ReachesTheConsoleWithoutItsStackFrames(string line, bool isOnTheConsole)
    {
        // A FailFast in a worker: the runtime's report on its standard error, whose frames are for the log file only.
        var fromError = Forward(forwarder => forwarder.ForwardError(line));
        var fromOutput = Forward(forwarder => forwarder.ForwardOutput(line));

        Assert.Multiple(() =>
        {
            Assert.That(HostLogging.IsForConsole(fromError), Is.EqualTo(isOnTheConsole), "standard error");
            Assert.That(HostLogging.IsForConsole(fromOutput), Is.EqualTo(isOnTheConsole), "standard output (a job printing an exception)");
            Assert.That(fromError.RenderMessage(CultureInfo.InvariantCulture), Is.EqualTo(line), "the log file keeps the line as it was");
        });
    }

    [TestCase("Worker {WorkerId} ready (pid {ProcessId})", "")]
    [TestCase("Job {JobName} rows {RowStart}+{RowCount} threw", " worker 2")]
    [TestCase("Hello from a job", " worker 2")]
    public void WorkerTag_PrefixesOnlyLinesThatDoNotNameTheirWorker(string template, string expectedTag)
    {
        var logEvent = new LogEvent(
            DateTimeOffset.UtcNow,
            LogEventLevel.Information,
            exception: null,
            new MessageTemplateParser().Parse(template),
            [new LogEventProperty("WorkerId", new ScalarValue(2)), new LogEventProperty("ProcessId", new ScalarValue(77))]);

        new HostLogging.WorkerTagEnricher().Enrich(logEvent, new PropertyFactory());

        Assert.That(((ScalarValue)logEvent.Properties["WorkerTag"]).Value, Is.EqualTo(expectedTag), "\"Worker 2 ready\" must not read \"worker 2 Worker 2 ready\"");
    }

    private static LogEvent Forward(Action<WorkerOutputForwarder> forward)
    {
        var sink = new EventSink();
        using var serilog = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();

        forward(new WorkerOutputForwarder(HostLogging.ForLibrary(serilog), 2));

        Assert.That(sink.Events, Has.Count.EqualTo(1));
        return sink.Events[0];
    }

    private sealed class PropertyFactory : ILogEventPropertyFactory
    {
        public LogEventProperty CreateProperty(string name, object? value, bool destructureObjects = false) => new(name, new ScalarValue(value));
    }

    private sealed class EventSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }
}
