using System.Diagnostics;
using System.Globalization;
using Serilog;

namespace SimHost.Host.Running;

/// <summary>
/// The live progress of a run: on a terminal, one line rewritten in place about ten times a second; otherwise a
/// plain log line every few seconds, so that CI logs and files are not flooded with carriage returns.
/// </summary>
public sealed class ProgressReporter
{
    private static readonly TimeSpan s_terminalInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_logInterval = TimeSpan.FromSeconds(5);

    private readonly TextWriter _terminal;
    private readonly bool _isTerminal;
    private readonly ILogger _logger;
    private readonly long _totalFrames;
    private long _lastWrite = Stopwatch.GetTimestamp();
    private long _framesAtLastWrite;
    private int _lastLineLength;

    /// <summary>Creates a reporter.</summary>
    /// <param name="terminal">Where the live line goes (stderr, so stdout keeps only the summary).</param>
    /// <param name="isTerminal">Whether <paramref name="terminal"/> is an interactive terminal.</param>
    /// <param name="logger">Where the periodic lines go when it is not.</param>
    /// <param name="totalFrames">The frames the run will do, or 0 for until Ctrl-C.</param>
    public ProgressReporter(TextWriter terminal, bool isTerminal, ILogger logger, long totalFrames)
    {
        _terminal = terminal;
        _isTerminal = isTerminal;
        _logger = logger;
        _totalFrames = totalFrames;
    }

    /// <summary>Reports the state after a frame; cheap when it is not yet time to print.</summary>
    public void Report(long frame, FrameTimeStatistics frameTimes, int workersAlive, int restarts)
    {
        var now = Stopwatch.GetTimestamp();
        var sinceLast = Stopwatch.GetElapsedTime(_lastWrite, now);
        if (sinceLast < (_isTerminal ? s_terminalInterval : s_logInterval))
        {
            return;
        }

        var fps = (frame - _framesAtLastWrite) / sinceLast.TotalSeconds;
        _lastWrite = now;
        _framesAtLastWrite = frame;
        var p50 = frameTimes.PercentileMs(50);
        var p99 = frameTimes.PercentileMs(99);
        if (_isTerminal)
        {
            var total = _totalFrames > 0 ? $"/{_totalFrames}" : string.Empty;
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"frame {frame}{total}  {fps:0.0} fps  p50 {p50:0.00} ms  p99 {p99:0.00} ms  workers {workersAlive}  restarts {restarts}");
            _terminal.Write('\r' + line.PadRight(_lastLineLength));
            _lastLineLength = line.Length;
        }
        else
        {
            _logger.Information(
                "Frame {Frame} of {TotalFrames}: {FramesPerSecond:0.0} fps, p50 {P50Ms:0.00} ms, p99 {P99Ms:0.00} ms, {WorkersAlive} workers alive, {Restarts} restarts",
                frame,
                _totalFrames,
                fps,
                p50,
                p99,
                workersAlive,
                restarts);
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
}
