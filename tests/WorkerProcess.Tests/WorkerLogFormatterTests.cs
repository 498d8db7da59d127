using Serilog.Core;
using Serilog.Events;
using SimHost.Layout.Protocol;
using SimHost.Worker;

namespace SimHost.Tests.WorkerProcess;

/// <summary>The worker writes each log event as one structured line, and only events at or above its level.</summary>
[TestFixture]
public sealed class WorkerLogFormatterTests
{
    [Test]
    public void Format_WritesOneLineTheHostDecodesToTheSameEvent()
    {
        var sink = new CollectingSink();
        using (var logger = WorkerSession.CreateLogger(new LoggingLevelSwitch(LogEventLevel.Verbose), sink))
        {
            logger.ForContext<JobExecutor>().Error(
                new InvalidOperationException("boom"), "Job {JobName} rows {RowStart}+{RowCount} threw", "physics.step", 64u, 128u);
        }

        var logEvent = sink.Events.Single();
        using var output = new StringWriter();
        new WorkerLogFormatter().Format(logEvent, output);
        var text = output.ToString();

        Assert.That(text, Does.EndWith("\n"));
        Assert.That(text.TrimEnd('\n'), Does.Not.Contain('\n'), "one event, one line");
        Assert.That(WorkerLogLine.TryDecode(text.TrimEnd('\n'), out var decoded), Is.True, text);
        Assert.Multiple(() =>
        {
            Assert.That(decoded!.Level, Is.EqualTo(WorkerLogLevel.Error));
            Assert.That(decoded.Timestamp, Is.EqualTo(logEvent.Timestamp));
            Assert.That(decoded.Category, Is.EqualTo(typeof(JobExecutor).FullName));
            Assert.That(decoded.Message, Is.EqualTo("Job physics.step rows 64+128 threw"), "strings unquoted");
            Assert.That(decoded.Template, Is.EqualTo("Job {JobName} rows {RowStart}+{RowCount} threw"));
            Assert.That(
                decoded.Properties,
                Is.EquivalentTo(new KeyValuePair<string, object?>[] { new("JobName", "physics.step"), new("RowStart", 64L), new("RowCount", 128L) }));
            Assert.That(decoded.Exception, Does.StartWith("System.InvalidOperationException: boom"));
            Assert.That(decoded.EventId, Is.Not.Zero);
        });
    }

    [Test]
    public void SameTemplate_GivesTheSameEventId_OtherTemplatesAnother()
    {
        var first = Decode(logger => logger.Information("Worker {WorkerId} connected", 1));
        var second = Decode(logger => logger.Information("Worker {WorkerId} connected", 2));
        var other = Decode(logger => logger.Information("Shutdown requested; exiting"));

        Assert.That(first.EventId, Is.EqualTo(second.EventId));
        Assert.That(other.EventId, Is.Not.EqualTo(first.EventId));
    }

    [Test]
    public void EventWithoutSourceContext_HasTheWorkersCategory() =>
        Assert.That(Decode(logger => logger.Warning("x")).Category, Is.EqualTo(WorkerLogFormatter.DefaultCategory));

    [TestCase(LogEventLevel.Verbose, 6)]
    [TestCase(LogEventLevel.Debug, 5)]
    [TestCase(LogEventLevel.Information, 4)]
    [TestCase(LogEventLevel.Warning, 3)]
    [TestCase(LogEventLevel.Error, 2)]
    [TestCase(LogEventLevel.Fatal, 1)]
    public void EventsBelowTheHostsLevel_AreNeverWritten(LogEventLevel minimum, int written)
    {
        var sink = new CollectingSink();
        var levelSwitch = new LoggingLevelSwitch(LogEventLevel.Information);
        using (var logger = WorkerSession.CreateLogger(levelSwitch, sink))
        {
            // As after Welcome: the host's --log-level replaces the start-up level.
            levelSwitch.MinimumLevel = minimum;
            foreach (var level in Enum.GetValues<LogEventLevel>())
            {
                logger.Write(level, "at {Level}", level);
            }
        }

        Assert.That(sink.Events.Select(e => e.Level), Is.EqualTo(Enum.GetValues<LogEventLevel>().Where(l => l >= minimum)));
        Assert.That(sink.Events, Has.Count.EqualTo(written));
    }

    private static WorkerLogEvent Decode(Action<Serilog.ILogger> log)
    {
        var sink = new CollectingSink();
        using (var logger = WorkerSession.CreateLogger(new LoggingLevelSwitch(LogEventLevel.Verbose), sink))
        {
            log(logger);
        }

        return WorkerLogFormatter.ToWorkerLogEvent(sink.Events.Single());
    }

    private sealed class CollectingSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }
}
