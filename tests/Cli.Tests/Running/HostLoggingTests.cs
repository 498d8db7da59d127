using System.Globalization;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using SimHost.Host.Running;
using SimHost.Host.Workers;

namespace SimHost.Tests.Host.Running;

/// <summary>The library logs through Microsoft.Extensions.Logging; the CLI's Serilog sinks receive it unchanged.</summary>
[TestFixture]
public sealed class HostLoggingTests
{
    [TestCase("ERR Job failed", LogEventLevel.Error, "Job failed")]
    [TestCase("WRN slow", LogEventLevel.Warning, "slow")]
    [TestCase("VRB x", LogEventLevel.Verbose, "x")]
    [TestCase("FTL gone", LogEventLevel.Fatal, "gone")]
    [TestCase("Process terminated.", LogEventLevel.Warning, "Process terminated.")]
    public void ForLibrary_ForwardedWorkerLinesKeepTheirLevelAndWorkerId(string line, LogEventLevel level, string text)
    {
        var sink = new EventSink();
        using var serilog = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();

        new WorkerOutputForwarder(HostLogging.ForLibrary(serilog), 2).Forward(line);

        Assert.That(sink.Events, Has.Count.EqualTo(1));
        var logEvent = sink.Events[0];
        Assert.Multiple(() =>
        {
            Assert.That(logEvent.Level, Is.EqualTo(level));
            Assert.That(logEvent.Properties["WorkerId"].ToString(), Is.EqualTo("2"));
            Assert.That(logEvent.RenderMessage(CultureInfo.InvariantCulture), Is.EqualTo(text), "rendered unquoted, as before");
        });
    }

    private sealed class EventSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }
}
