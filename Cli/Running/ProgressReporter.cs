using System.Globalization;
using Serilog;

namespace SimHost.Host.Running;

/// <summary>
/// The live progress of a run: on a terminal, one line rewritten in place about ten times a second; otherwise a
/// plain log line every few seconds, so that CI logs and files are not flooded with carriage returns. Both show the
/// frame, elapsed time, an ETA when the run has a frame count, the frame rate and times, the workers (and any slots
/// that are down) and the ranges re-run.
/// </summary>
internal sealed class ProgressReporter
{
    private static readonly TimeSpan s_terminalInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_logInterval = TimeSpan.FromSeconds(5);

    private readonly TextWriter _terminal;
    private readonly bool _isTerminal;
    private readonly ILogger _logger;
    private readonly long _totalFrames;
    private readonly TimeProvider _clock;
    private readonly long _started;
    private long _lastWrite;
    private long _framesAtLastWrite;
    private int _lastLineLength;

    /// <summary>Creates a reporter.</summary>
    /// <param name="terminal">Where the live line goes (stderr, so stdout keeps only the summary).</param>
    /// <param name="isTerminal">Whether <paramref name="terminal"/> is an interactive terminal.</param>
    /// <param name="logger">Where the periodic lines go when it is not.</param>
    /// <param name="totalFrames">The frames the run will do, or 0 for until stopped.</param>
    public ProgressReporter(TextWriter terminal, bool isTerminal, ILogger logger, long totalFrames)
        : this(terminal, isTerminal, logger, totalFrames, TimeProvider.System)
    {
    }

    /// <summary>Creates a reporter that reads <paramref name="clock"/> (tests step it by hand).</summary>
    internal ProgressReporter(TextWriter terminal, bool isTerminal, ILogger logger, long totalFrames, TimeProvider clock)
    {
        _terminal = terminal;
        _isTerminal = isTerminal;
        _logger = logger;
        _totalFrames = totalFrames;
        _clock = clock;
        _started = clock.GetTimestamp();
        _lastWrite = _started;
    }

    /// <summary>Reports the state after a frame; cheap when it is not yet time to print.</summary>
    /// <param name="frame">Frames completed.</param>
    /// <param name="frameTimes">The run's frame times.</param>
    /// <param name="rangesReRun">Job ranges that failed and were run again, so far.</param>
    /// <param name="workers">The worker pool's status, or null when every job runs in-process.</param>
    public void Report(long frame, FrameTimeStatistics frameTimes, long rangesReRun, IWorkerStatus? workers)
    {
        ArgumentNullException.ThrowIfNull(frameTimes);
        var now = _clock.GetTimestamp();
        var sinceLast = _clock.GetElapsedTime(_lastWrite, now);
        if (sinceLast < (_isTerminal ? s_terminalInterval : s_logInterval))
        {
            return;
        }

        var fps = (frame - _framesAtLastWrite) / sinceLast.TotalSeconds;
        _lastWrite = now;
        _framesAtLastWrite = frame;
        var elapsed = _clock.GetElapsedTime(_started, now);
        var eta = Eta(frame, elapsed);
        var p50 = frameTimes.PercentileMs(50);
        var p99 = frameTimes.PercentileMs(99);
        if (_isTerminal)
        {
            var line = TerminalLine(frame, elapsed, eta, fps, p50, p99, rangesReRun, workers);
            _terminal.Write('\r' + line.PadRight(_lastLineLength));
            _lastLineLength = line.Length;
        }
        else
        {
            LogLine(frame, elapsed, eta, fps, p50, p99, rangesReRun, workers);
        }
    }

    /// <summary>Ends the live line so the summary starts on a fresh line.</summary>
    public void Finish()
    {
        if (_isTerminal && _lastLineLength > 0)
        {
            _terminal.WriteLine();
            _lastLineLength = 0;
        }
    }

    /// <summary>Formats a duration as the progress line shows it: <c>0:07</c>, <c>12:34</c>, <c>1:02:03</c>.</summary>
    internal static string FormatClock(TimeSpan duration)
    {
        var seconds = (long)Math.Max(0, Math.Round(duration.TotalSeconds));
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");
    }

    private TimeSpan? Eta(long frame, TimeSpan elapsed)
    {
        if (_totalFrames <= 0 || frame <= 0)
        {
            return null;
        }

        // The run's average so far: steadier than the last interval's rate.
        return elapsed * ((double)(_totalFrames - frame) / frame);
    }

    private string TerminalLine(long frame, TimeSpan elapsed, TimeSpan? eta, double fps, double p50, double p99, long rangesReRun, IWorkerStatus? workers)
    {
        var total = _totalFrames > 0 ? string.Create(CultureInfo.InvariantCulture, $"/{_totalFrames}") : string.Empty;
        var remaining = eta is { } left ? $"  ETA {FormatClock(left)}" : string.Empty;
        var where = workers is null
            ? "in-process"
            : string.Create(CultureInfo.InvariantCulture, $"workers {workers.WorkersAlive}/{workers.WorkerSlots}{DownNote(workers)}  restarts {workers.Restarts}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"frame {frame}{total}  {FormatClock(elapsed)}{remaining}  {fps:0.0} fps  p50 {p50:0.00} ms  p99 {p99:0.00} ms  {where}  re-run {rangesReRun}");
    }

    private static string DownNote(IWorkerStatus workers) => workers.SlotsDown switch
    {
        0 => string.Empty,
        var down when down == workers.WorkerSlots => string.Create(CultureInfo.InvariantCulture, $" ({down} down, jobs in-process)"),
        var down => string.Create(CultureInfo.InvariantCulture, $" ({down} down)"),
    };

    private void LogLine(long frame, TimeSpan elapsed, TimeSpan? eta, double fps, double p50, double p99, long rangesReRun, IWorkerStatus? workers)
    {
        // "frame 4281" for a run until stopped, "frame 4281 of 10000, ETA 0:42" for one with a frame count.
        var position = _totalFrames > 0
            ? string.Create(CultureInfo.InvariantCulture, $"frame {frame} of {_totalFrames}, {FormatClock(elapsed)} elapsed, ETA {FormatClock(eta ?? TimeSpan.Zero)}")
            : string.Create(CultureInfo.InvariantCulture, $"frame {frame}, {FormatClock(elapsed)} elapsed");
        var where = workers is null
            ? "jobs in-process"
            : string.Create(CultureInfo.InvariantCulture, $"{workers.WorkersAlive} of {workers.WorkerSlots} workers alive{DownNote(workers)}, {workers.Restarts} restarts");
        _logger.Information(
            "Progress: {Position}: {FramesPerSecond:0.0} fps, p50 {P50Ms:0.00} ms, p99 {P99Ms:0.00} ms, {Workers}, {RangesReRun} ranges re-run",
            position,
            fps,
            p50,
            p99,
            where,
            rangesReRun);
    }
}
