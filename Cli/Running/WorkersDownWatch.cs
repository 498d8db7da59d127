using Serilog;

namespace SimHost.Host.Running;

/// <summary>
/// Watches the worker slots between frames and says once, with the reasons, when slots go down for good: when
/// every slot is down the offloaded jobs run in-process from then on, which a run must never do silently.
/// </summary>
internal sealed class WorkersDownWatch
{
    private readonly IWorkerStatus? _status;
    private readonly ILogger _logger;
    private int _down;
    private long _sinceFrame;

    public WorkersDownWatch(IWorkerStatus? status, ILogger logger)
    {
        _status = status;
        _logger = logger;
    }

    /// <summary>Slots down and the frame since which that many are, or null while none is.</summary>
    public (int Down, long SinceFrame)? Current => _down > 0 ? (_down, _sinceFrame) : null;

    /// <summary>Checks the slots before frame <paramref name="nextFrame"/> (1-based) runs; logs a change once.</summary>
    public void Check(long nextFrame)
    {
        if (_status is null)
        {
            return;
        }

        // Slots only ever go down (a slot given up is never restarted), so each count is logged once.
        var down = _status.SlotsDown;
        if (down == _down)
        {
            return;
        }

        _down = down;
        _sinceFrame = nextFrame;
        if (down >= _status.WorkerSlots)
        {
            _logger.Error(
                "All worker slots are down ({Reasons}); offloaded jobs run in-process from frame {Frame}, except a job that crashed or hung a worker, whose frames fail",
                _status.DownReasons,
                nextFrame);
        }
        else
        {
            _logger.Warning(
                "{Down} of {Slots} worker slots are down ({Reasons}); offloaded jobs run on the workers left from frame {Frame}",
                down,
                _status.WorkerSlots,
                _status.DownReasons,
                nextFrame);
        }
    }
}
