using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SimHost.Host.Diagnostics;

namespace SimHost.Host.Persistence;

/// <summary>
/// Writes checkpoints beside the frames: the frame thread only copies the world (<see cref="TryStart"/>), a thread
/// of the lowest CPU priority writes the copy (<see cref="BackgroundPriority"/>), paced by the frames
/// (<see cref="FrameEnded"/>, see <see cref="CheckpointPacer"/>) when the writer was given a pacer. At most one
/// checkpoint is in flight: one that falls due while the previous is still being written is skipped (counted in
/// <see cref="Skipped"/> and logged), so memory stays bounded by one copy of the world and a slow disk never stalls
/// the frame loop. A failed write fails the run at the next <see cref="TryStart"/> or
/// <see cref="DrainAsync"/>.
/// </summary>
internal sealed class BackgroundCheckpointWriter
{
    private readonly CheckpointStore _store;
    private readonly ILogger _logger;
    private readonly CheckpointPacer? _pacer;
    private Task? _inFlight;
    private long _lastSkipWarning;
    private int _skipsNotWarned;

    /// <param name="store">Where the checkpoints go.</param>
    /// <param name="logger">Started, written and skipped checkpoints.</param>
    /// <param name="pacer">Spreads each write over the frames after it; null writes at full speed.</param>
    public BackgroundCheckpointWriter(CheckpointStore store, ILogger? logger = null, CheckpointPacer? pacer = null)
    {
        _store = store;
        _logger = logger ?? NullLogger.Instance;
        _pacer = pacer;
    }

    /// <summary>The arrays each capture of this run copies the world into; free whenever no write is in flight.</summary>
    public CaptureBuffers Buffers { get; } = new();

    /// <summary>
    /// Whether checkpoints are written at the lowest CPU priority (<see cref="BackgroundPriority"/>), the default, or on
    /// a pool thread at the frames' own: then more of those due are written on a busy machine, and the frames slow more.
    /// </summary>
    public bool AtLowestPriority { get; init; } = true;

    /// <summary>Checkpoints written completely.</summary>
    public int Written { get; private set; }

    /// <summary>Checkpoints skipped because the previous one was still being written.</summary>
    public int Skipped { get; private set; }

    /// <summary>
    /// The least time between two warnings of skipped checkpoints: a machine too slow for the interval skips most of
    /// them, and a warning each would flood the log. The skips between are logged at Debug, then counted in the next
    /// warning.
    /// </summary>
    public TimeSpan SkipWarningInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The newest checkpoint written completely, or null.</summary>
    public string? Newest { get; private set; }

    /// <summary>
    /// Takes one copy of the world into <see cref="Buffers"/> before the first frame and writes nothing: the arrays
    /// are allocated and their pages touched, and the copy's code compiled, now rather than on the frame thread at the
    /// first checkpoint (which otherwise stalled that frame by the first touch of a world-sized copy: 130 ms at 1M
    /// particles on a VM). The entity columns it copied count as current for the first checkpoint if nothing
    /// structural happened since.
    /// </summary>
    /// <param name="capture">Copies the world into <see cref="Buffers"/> (as <see cref="TryStart"/>'s capture does).</param>
    public void Prepare(Func<WorldImage> capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        if (_inFlight is null)
        {
            _ = capture();
        }
    }

    /// <summary>
    /// Starts the checkpoint of frame <paramref name="frame"/>: <paramref name="capture"/> runs now, on the caller's
    /// thread (it copies the state), and the copy is written in the background. Skipped if a write is in flight.
    /// </summary>
    /// <returns>Whether the checkpoint was started.</returns>
    /// <exception cref="CheckpointException">The previous checkpoint failed to write.</exception>
    public bool TryStart(long frame, Func<CheckpointContent> capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        if (_inFlight is { IsCompleted: false })
        {
            Skipped++;
            SimHostInstruments.CheckpointsSkipped.Add(1);
            LogSkip(frame);
            return false;
        }

        ThrowIfFailed();
        var started = Stopwatch.GetTimestamp();
        var content = capture();
        CheckpointLog.Started(_logger, frame);
        _pacer?.Start(content.World.PayloadBytes);
        _inFlight = WriteAsync(frame, content, started);
        return true;
    }

    private void LogSkip(long frame)
    {
        var now = Stopwatch.GetTimestamp();
        if (Skipped == 1)
        {
            CheckpointLog.Skipped(_logger, frame);
            _lastSkipWarning = now;
            return;
        }

        _skipsNotWarned++;
        if (Stopwatch.GetElapsedTime(_lastSkipWarning, now) >= SkipWarningInterval)
        {
            CheckpointLog.SkippedSince(_logger, _skipsNotWarned, frame);
            _skipsNotWarned = 0;
            _lastSkipWarning = now;
            return;
        }

        CheckpointLog.SkippedQuietly(_logger, frame);
    }

    /// <summary>
    /// Writes on a thread of the lowest priority, which does the writing alone; what follows (the counts, the log, the
    /// instruments, whose listeners may start threads that would inherit the low priority) runs at normal priority.
    /// </summary>
    private async Task WriteAsync(long frame, CheckpointContent content, long started)
    {
        string? path = null;
        void Write() => path = _store.Write(frame, content, _pacer);
        await (AtLowestPriority ? BackgroundPriority.Run("SimHost checkpoint writer", Write) : Task.Run(Write)).ConfigureAwait(false);
        Newest = path;
        Written++;
        SimHostInstruments.CheckpointDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        SimHostInstruments.CheckpointsWritten.Add(1);
        CheckpointLog.Written(_logger, frame, path!);
    }

    /// <summary>A frame ended: the write in flight may go on by one frame's share (the frame thread; allocates nothing).</summary>
    public void FrameEnded() => _pacer?.FrameEnded();

    /// <summary>Lets the write in flight finish at full speed: no more frames follow (also done by <see cref="DrainAsync"/>).</summary>
    public void StopPacing() => _pacer?.Release();

    /// <summary>Waits for the checkpoint in flight, if any, written at full speed from now on.</summary>
    /// <exception cref="CheckpointException">It failed to write.</exception>
    public async Task DrainAsync()
    {
        StopPacing();
        if (_inFlight is { } task)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            finally
            {
                _inFlight = null;
            }
        }
    }

    /// <summary>
    /// The run writes no more checkpoints: waits for the one in flight (as <see cref="DrainAsync"/>), then deletes the
    /// spare the store kept for a next write (<see cref="CheckpointStore.Write"/>).
    /// </summary>
    /// <exception cref="CheckpointException">The checkpoint in flight failed to write.</exception>
    public async Task FinishAsync()
    {
        try
        {
            await DrainAsync().ConfigureAwait(false);
        }
        finally
        {
            // No write is in flight now, failed or not: the spare is the store's alone to delete.
            _store.RemoveSpare();
        }
    }

    /// <summary>
    /// The run ends on a failure of its own: waits for the checkpoint in flight (its failure, if any, is not this
    /// run's to report now) and deletes the spare, so a failed run leaves the kept checkpoints only.
    /// </summary>
    public async Task AbandonAsync()
    {
        try
        {
            await FinishAsync().ConfigureAwait(false);
        }
        catch (CheckpointException)
        {
            // The run is failing already, with its own error.
        }
    }

    private void ThrowIfFailed()
    {
        if (_inFlight is { IsFaulted: true } failed)
        {
            _inFlight = null;
            failed.GetAwaiter().GetResult();
        }
    }
}
