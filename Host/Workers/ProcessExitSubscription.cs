using System.Diagnostics;

namespace SimHost.Host.Workers;

/// <summary>Cancels a handshake attempt when the worker exits; disposing unsubscribes before the source is disposed.</summary>
internal sealed class ProcessExitSubscription : IDisposable
{
    private readonly Process _process;
    private readonly CancellationTokenSource _attempt;
    private readonly Lock _gate = new();
    private bool _isDisposed;

    private ProcessExitSubscription(Process process, CancellationTokenSource attempt)
    {
        _process = process;
        _attempt = attempt;
        process.Exited += OnExited;
    }

    /// <summary>Cancels <paramref name="attempt"/> once <paramref name="process"/> exits (at once if it already has).</summary>
    public static ProcessExitSubscription CancelOnExit(Process process, CancellationTokenSource attempt)
    {
        // Exited fires on a runtime thread; cancelling the handshake makes a worker that died at start fail fast.
        var subscription = new ProcessExitSubscription(process, attempt);
        if (process.HasExited)
        {
            attempt.Cancel();
        }

        return subscription;
    }

    public void Dispose()
    {
        _process.Exited -= OnExited;
        lock (_gate)
        {
            _isDisposed = true;
        }
    }

    private void OnExited(object? sender, EventArgs e)
    {
        lock (_gate)
        {
            if (!_isDisposed)
            {
                _attempt.Cancel();
            }
        }
    }
}
