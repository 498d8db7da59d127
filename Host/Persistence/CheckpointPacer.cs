namespace SimHost.Host.Persistence;

/// <summary>
/// Spreads a background checkpoint write over the frames that follow it: the writer takes a budget of bytes before
/// each slice it hashes and writes, and the frame loop grants one frame's share at the end of every frame. A burst
/// would slow the two or three frames it overlaps by the writer's whole cost (on two cores beside two workers, every
/// thread competes); spread thin, each frame loses a sliver. <see cref="Release"/> lifts the limit (end of the run).
/// </summary>
internal sealed class CheckpointPacer
{
    // A plain object, not a Lock: the writer waits on it with Monitor.Wait.
    private readonly object _gate = new();
    private readonly int _framesToSpreadOver;
    private long _bytesPerFrame;
    private long _budget;

    // Unstarted, a pacer limits nothing (and a frame's grant cannot overflow the budget).
    private bool _isReleased = true;

    /// <param name="framesToSpreadOver">The frames a checkpoint's bytes are spread over, at least 1.</param>
    public CheckpointPacer(int framesToSpreadOver)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(framesToSpreadOver, 1);
        _framesToSpreadOver = framesToSpreadOver;
    }

    /// <summary>The least a frame grants, so that small checkpoints are not cut into needlessly many pieces.</summary>
    public const long MinBytesPerFrame = 1 << 20;

    /// <summary>Paces a new checkpoint of about <paramref name="totalBytes"/>; its first share is granted at once.</summary>
    public void Start(long totalBytes)
    {
        lock (_gate)
        {
            _isReleased = false;
            _bytesPerFrame = Math.Max(MinBytesPerFrame, (totalBytes + _framesToSpreadOver - 1) / _framesToSpreadOver);
            _budget = _bytesPerFrame;
        }
    }

    /// <summary>A frame ended: grants the writer one more frame's share (the frame thread; no allocation).</summary>
    public void FrameEnded()
    {
        lock (_gate)
        {
            // An idle writer does not save up: at most one frame's share beyond what it still has.
            _budget = Math.Min(Math.Max(_budget, 0) + _bytesPerFrame, 2 * _bytesPerFrame);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Lifts the limit until the next <see cref="Start"/>: the run is ending and waits for the writer.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _isReleased = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until the writer may write <paramref name="bytes"/> more (the writer's thread).</summary>
    public void Take(int bytes)
    {
        lock (_gate)
        {
            while (!_isReleased && _budget <= 0)
            {
                Monitor.Wait(_gate);
            }

            _budget -= bytes;
        }
    }
}
