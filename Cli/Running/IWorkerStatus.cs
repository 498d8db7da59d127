namespace SimHost.Host.Running;

/// <summary>What the progress line and the summary show of the worker processes.</summary>
internal interface IWorkerStatus
{
    /// <summary>Worker slots the run asked for.</summary>
    int WorkerSlots { get; }

    /// <summary>Worker processes alive and connected right now.</summary>
    int WorkersAlive { get; }

    /// <summary>Worker slots given up for good by the restart policy; their share of the jobs runs elsewhere.</summary>
    int SlotsDown { get; }

    /// <summary>Worker processes replaced after a failure since the run started.</summary>
    long Restarts { get; }

    /// <summary>Connected worker processes lost since the run started, replaced or not.</summary>
    long WorkersLost { get; }

    /// <summary>Whether a connected worker's process has exited though the pool has not noticed yet.</summary>
    bool HasUnnoticedExit { get; }

    /// <summary>Why the slots that are down went down (<c>slot 1: ... after it exited with code 134</c>), or null.</summary>
    string? DownReasons { get; }

    /// <summary>The last worker failure (a crash, a hang, a broken protocol), or null when no worker has failed.</summary>
    string? LastFailure { get; }
}
