using System.Globalization;

namespace SimHost.Host.Running;

/// <summary>What a finished run prints: its figures, then the checksum line that scripts compare.</summary>
/// <param name="Frames">Frames completed.</param>
/// <param name="Entities">Live entities at the end.</param>
/// <param name="Workers">Worker processes asked for (0 = in-process).</param>
/// <param name="Wall">Wall time of the frame loop.</param>
/// <param name="FrameTimes">Every frame's time.</param>
/// <param name="WorkerRestarts">Worker processes replaced after a failure.</param>
/// <param name="RangesFailed">Job ranges that failed and were run again.</param>
/// <param name="RowsCommitted">Rows written back to the world over the run.</param>
/// <param name="FailedFrames">Frames in which a system failed.</param>
/// <param name="WasInterrupted">Whether Ctrl-C ended the run early.</param>
/// <param name="Checksum">The final world checksum, as hex.</param>
public sealed record RunSummary(
    long Frames,
    int Entities,
    int Workers,
    TimeSpan Wall,
    FrameTimeStatistics FrameTimes,
    long WorkerRestarts,
    long RangesFailed,
    long RowsCommitted,
    long FailedFrames,
    bool WasInterrupted,
    string Checksum)
{
    /// <summary>Writes the summary; the last line is always <c>checksum: HEX</c>.</summary>
    public void WriteTo(TextWriter output)
    {
        var fps = Wall.TotalSeconds > 0 ? Frames / Wall.TotalSeconds : 0;
        var mode = Workers == 0 ? "in-process" : $"{Workers} worker processes";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"frames:          {Frames}{(WasInterrupted ? " (stopped by Ctrl-C)" : string.Empty)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"entities:        {Entities}"));
        output.WriteLine($"jobs ran:        {mode}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall time:       {Wall.TotalSeconds:0.000} s ({fps:0.0} frames/s)"));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"frame time:      p50 {FrameTimes.PercentileMs(50):0.000} ms, p90 {FrameTimes.PercentileMs(90):0.000} ms, p99 {FrameTimes.PercentileMs(99):0.000} ms, max {FrameTimes.PercentileMs(100):0.000} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker restarts: {WorkerRestarts}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ranges re-run:   {RangesFailed}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows committed:  {RowsCommitted}"));
        if (FailedFrames > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"failed frames:   {FailedFrames}"));
        }

        output.WriteLine($"checksum: {Checksum}");
    }
}
