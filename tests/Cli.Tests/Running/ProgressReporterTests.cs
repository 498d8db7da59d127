using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using SimHost.Host.Running;

namespace SimHost.Tests.Host.Running;

public sealed class ProgressReporterTests
{
    [Test]
    public void LogLine_OfAnUnboundedRun_ReadsFrameN_WithElapsedAndNoEta()
    {
        var (lines, _) = ReportOnce(totalFrames: 0, isTerminal: false, frame: 4281, elapsed: TimeSpan.FromSeconds(65));

        Assert.That(lines, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.StartWith("Progress: frame 4281, 1:05 elapsed:"));
            Assert.That(lines[0], Does.Not.Contain(" of 0").And.Not.Contain("ETA"));
            Assert.That(lines[0], Does.Contain("2 of 2 workers alive, 1 restarts, 3 ranges re-run"));
        });
    }

    [Test]
    public void LogLine_OfABoundedRun_ShowsTheTotalAndAnEta()
    {
        // 100 of 400 frames in 10 s: 300 more at the same pace is 30 s.
        var (lines, _) = ReportOnce(totalFrames: 400, isTerminal: false, frame: 100, elapsed: TimeSpan.FromSeconds(10));

        Assert.That(lines.Single(), Does.StartWith("Progress: frame 100 of 400, 0:10 elapsed, ETA 0:30:"));
    }

    [Test]
    public void TerminalLine_ShowsElapsedEtaRangesReRun_AndSlotsDown()
    {
        var workers = new FakeWorkerStatus { WorkerSlots = 2, WorkersAlive = 0, SlotsDown = 2, Restarts = 10 };
        var (_, terminal) = ReportOnce(totalFrames: 400, isTerminal: true, frame: 100, elapsed: TimeSpan.FromSeconds(10), workers, rangesReRun: 7);

        Assert.That(
            terminal,
            Does.Match(@"^\rframe 100/400  0:10  ETA 0:30  [0-9.]+ fps  p50 2\.00 ms  p99 2\.00 ms  workers 0/2 \(2 down, jobs in-process\)  restarts 10  re-run 7$"));
    }

    [TestCase(0, "0:00")]
    [TestCase(59.4, "0:59")]
    [TestCase(754, "12:34")]
    [TestCase(3723, "1:02:03")]
    public void Clock_ReadsAsMinutesAndSeconds(double seconds, string expected) =>
        Assert.That(ProgressReporter.FormatClock(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));

    private static (List<string> LogLines, string Terminal) ReportOnce(
        long totalFrames, bool isTerminal, long frame, TimeSpan elapsed, IWorkerStatus? workers = null, long rangesReRun = 3)
    {
        var clock = new ManualClock();
        var sink = new MessageSink();
        using var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        using var terminal = new StringWriter();
        var reporter = new ProgressReporter(terminal, isTerminal, logger, totalFrames, clock);
        var frameTimes = new FrameTimeStatistics();
        frameTimes.Add(TimeSpan.FromMilliseconds(2));

        clock.Advance(elapsed);
        reporter.Report(frame, frameTimes, rangesReRun, workers ?? new FakeWorkerStatus { WorkerSlots = 2, WorkersAlive = 2, Restarts = 1 });
        return (sink.Lines, terminal.ToString());
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = TimeSpan.TicksPerDay;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    private sealed class MessageSink : ILogEventSink
    {
        private readonly MessageTemplateTextFormatter _formatter = new("{Message:lj}", System.Globalization.CultureInfo.InvariantCulture);

        public List<string> Lines { get; } = [];

        public void Emit(LogEvent logEvent)
        {
            using var text = new StringWriter();
            _formatter.Format(logEvent, text);
            Lines.Add(text.ToString());
        }
    }
}
