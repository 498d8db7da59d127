namespace SimHost.Host.Running;

/// <summary>What the progress line and the summary show of the worker processes.</summary>
public interface IWorkerStatus
{
    /// <summary>Worker processes alive and connected right now.</summary>
    int WorkersAlive { get; }

    /// <summary>Worker processes replaced after a failure since the run started.</summary>
    long Restarts { get; }
}
