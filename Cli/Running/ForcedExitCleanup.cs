namespace SimHost.Host.Running;

/// <summary>
/// Disposes something when simhost is ended before its owner could: a second Ctrl-C or SIGTERM ends the process at
/// once (the frame in progress may never end), and the run directory with its segments goes with it instead of
/// waiting in /dev/shm for the next run's sweep. Disposing this unhooks it.
/// </summary>
internal sealed class ForcedExitCleanup : IDisposable
{
    private readonly IDisposable _resource;

    public ForcedExitCleanup(IDisposable resource)
    {
        _resource = resource;
        StopSignal.Forced += OnForcedExit;
    }

    public void Dispose() => StopSignal.Forced -= OnForcedExit;

    private void OnForcedExit()
    {
        try
        {
            _resource.Dispose();
        }
#pragma warning disable CA1031 // The process is being ended: a cleanup that fails must not stop the exit.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
