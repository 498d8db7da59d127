using System.Globalization;

namespace SimHost.Host.Running;

/// <summary>What a finished run prints: its figures, what stopped it, then the checksum line that scripts compare.</summary>
/// <param name="Frames">Frames completed, counting those a resumed run's checkpoint had already done.</param>
/// <param name="FramesRun">Frames this process ran (fewer than <paramref name="Frames"/> after <c>--resume</c>): the rate counts these only.</param>
/// <param name="Entities">Live entities at the end.</param>
/// <param name="Workers">Worker processes asked for (0 = in-process).</param>
/// <param name="Wall">Wall time of the frame loop.</param>
/// <param name="FrameTimes">The frame times.</param>
/// <param name="WorkerRestarts">Worker processes replaced after a failure.</param>
/// <param name="RangesReRun">Runs of job ranges that had failed before (on a fresh worker or in-process).</param>
/// <param name="RowsCommitted">Rows written back to the world over the run.</param>
/// <param name="FailedFrames">Frames in which a system failed.</param>
/// <param name="WorkersDown">Worker slots down at the end and the frame since which that many were, or null when none is.</param>
/// <param name="StoppedBy">What ended the run: <c>frames done</c>, <c>Ctrl-C (SIGINT)</c>, <c>SIGTERM</c>, or a failure.</param>
/// <param name="Checksum">The final world checksum, as hex.</param>
internal sealed record RunSummary(
    long Frames,
    long FramesRun,
    int Entities,
    int Workers,
    TimeSpan Wall,
    FrameTimeStatistics FrameTimes,
    long WorkerRestarts,
    long RangesReRun,
    long RowsCommitted,
    long FailedFrames,
    (int Down, long SinceFrame)? WorkersDown,
    string StoppedBy,
    string Checksum)
{
    /// <summary>
    /// The run's checkpoints written and skipped (a checkpoint that fell due while the previous one was still being
    /// written), or null when the run writes none.
    /// </summary>
    public (int Written, int Skipped)? Checkpoints { get; init; }

    /// <summary>
    /// Whether a worker failure ended the run (<c>--on-worker-failure fail</c>): its slots down never moved jobs to the
    /// other workers or in-process, and <see cref="WorkersDown"/> is shown without a "since frame".
    /// </summary>
    public bool IsEndedByWorkerFailure { get; init; }

    /// <summary>What <see cref="StoppedBy"/> says when the run did all its frames.</summary>
    public const string FramesDone = "frames done";

    /// <summary>Writes the summary; the last line is always <c>checksum: HEX</c>.</summary>
    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var mode = Workers switch
        {
            0 => "in-process",
            1 => "1 worker process",
            _ => string.Create(CultureInfo.InvariantCulture, $"{Workers} worker processes"),
        };
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"frames:          {Frames}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"entities:        {Entities}"));
        output.WriteLine($"jobs ran:        {mode}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall time:       {Wall.TotalSeconds:0.000} s ({Rate()})"));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"frame time:      p50 {FrameTimes.PercentileMs(50):0.000} ms, p90 {FrameTimes.PercentileMs(90):0.000} ms, p99 {FrameTimes.PercentileMs(99):0.000} ms, max {FrameTimes.PercentileMs(100):0.000} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker restarts: {WorkerRestarts}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ranges re-run:   {RangesReRun}"));
        if (WorkersDown is { } down && IsEndedByWorkerFailure)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"workers down:    {down.Down} of {Workers} (the run ended at the failure: --on-worker-failure fail)"));
        }
        else if (WorkersDown is { } since)
        {
            var inProcess = since.Down >= Workers ? " (jobs ran in-process, but for any that crashed or hung a worker)" : string.Empty;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"workers down:    {since.Down} of {Workers} since frame {since.SinceFrame}{inProcess}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows committed:  {RowsCommitted}"));
        if (Checkpoints is { } checkpoints)
        {
            var why = checkpoints.Skipped > 0 ? " (each fell due while the previous was still being written: raise --checkpoint-every, to give each more frames to be written in)" : string.Empty;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"checkpoints:     {checkpoints.Written} written, {checkpoints.Skipped} skipped{why}"));
        }

        if (FailedFrames > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"failed frames:   {FailedFrames}"));
        }

        output.WriteLine($"stopped by:      {StoppedBy}");
        output.WriteLine($"checksum: {Checksum}");
    }

    /// <summary>The frame rate of this process's frames; a resumed run's checkpointed frames took no wall time here.</summary>
    private string Rate()
    {
        if (FramesRun <= 0 || Wall <= TimeSpan.Zero)
        {
            return "no frame ran";
        }

        var rate = string.Create(CultureInfo.InvariantCulture, $"{FramesRun / Wall.TotalSeconds:0.0} frames/s");
        return FramesRun == Frames ? rate : string.Create(CultureInfo.InvariantCulture, $"{rate} over the {FramesRun} frames run since frame {Frames - FramesRun}");
    }
}
