using System.Diagnostics;

namespace SimHost.Host.Workers;

/// <summary>
/// One slot's supervision loop: start a worker (<see cref="WorkerStarter"/>), watch it (<see cref="PingWatchdog"/>)
/// until its connection closes, reap it, and ask the <see cref="RestartTracker"/> whether and when to start the next.
/// </summary>
internal sealed class WorkerSupervisor
{
    private readonly WorkerSlot _slot;
    private readonly WorkerPoolContext _context;
    private readonly WorkerStarter _starter;
    private readonly PingWatchdog _watchdog;
    private readonly RestartTracker _restarts;
    private readonly TaskCompletionSource<bool> _firstStart = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkerSupervisor(WorkerSlot slot, WorkerPoolContext context)
    {
        _slot = slot;
        _context = context;
        _starter = new WorkerStarter(slot.WorkerId, slot.PipePath, context);
        _watchdog = new PingWatchdog(slot, context.Options);
        _restarts = new RestartTracker(context.Options.RestartPolicy);
    }

    /// <summary>Completes with whether the first start succeeded.</summary>
    public Task<bool> FirstStart => _firstStart.Task;

    /// <summary>True once a worker of this slot has connected; false once the slot gave up (or the pool shut down) before any did.</summary>
    public Task<bool> Settled => _settled.Task;

    /// <summary>The last worker process launched (connected or still in its handshake), or null.</summary>
    public Process? Launched => _starter.Launched;

    /// <summary>Runs until the pool shuts down or the restart policy gives the slot up.</summary>
    public async Task RunAsync()
    {
        try
        {
            await SuperviseAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (_context.Shutdown.IsCancellationRequested)
        {
            // The pool is shutting down: what the loop met on its way out is no failure of the slot.
            WorkerLog.SupervisionEndedAtShutdown(_context.Logger, _slot.WorkerId, exception);
        }
        catch (Exception exception)
        {
            // Something no worker failure explains (a bug, an option no worker can be given): the slot stays down with
            // the cause as its last failure, which a pool start waiting for a first worker reports instead of waiting
            // forever. Its worker, if one runs, is cut off and killed below, as a lost one is.
            WorkerLog.SupervisionFailed(_context.Logger, _slot.WorkerId, exception);
            _slot.RecordFailure($"worker {_slot.WorkerId} could not be supervised: {exception.Message}");
            _slot.MarkDown("supervision failed");
            _context.OnSlotDown();
            _slot.Current?.Connection.Break($"its supervision failed: {exception.Message}");
        }
        finally
        {
            _firstStart.TrySetResult(false);
            _settled.TrySetResult(false);
            await _starter.ReapLastAsync().ConfigureAwait(false);
        }
    }

    private async Task SuperviseAsync()
    {
        var startFailures = 0;
        var shutdown = _context.Shutdown;
        var logger = _context.Logger;
        var workerId = _slot.WorkerId;
        string? lostReason = null;
        while (!shutdown.IsCancellationRequested)
        {
            var instance = await _starter.TryStartAsync(shutdown).ConfigureAwait(false);
            if (instance is not null)
            {
                _slot.Current = instance;
                WorkerLog.WorkerReady(logger, workerId, instance.Process.Id);
            }
            else if (!shutdown.IsCancellationRequested)
            {
                // Recorded before the first start is reported: the pool's start reads it to say why none started.
                startFailures++;
                _slot.RecordFailure(_starter.LastStartFailure ?? $"worker {workerId} failed to start");
            }

            _firstStart.TrySetResult(instance is not null);
            if (instance is not null)
            {
                _settled.TrySetResult(true);
                startFailures = 0;
                _restarts.OnReady();
                _context.OnSlotReady(_slot);
                lostReason = await WatchUntilLostAsync(instance, shutdown).ConfigureAwait(false);
                if (shutdown.IsCancellationRequested)
                {
                    break;
                }
            }

            if (shutdown.IsCancellationRequested)
            {
                break;
            }

            var decision = _restarts.OnFailure(startFailures);
            if (lostReason is not null)
            {
                // A restart is counted when a replacement is started, not when the policy gives the slot up instead.
                if (decision.ShouldRestart)
                {
                    WorkerLog.WorkerLostReplacing(logger, workerId, lostReason);
                    _context.OnRestart();
                }
                else
                {
                    WorkerLog.WorkerLost(logger, workerId, lostReason);
                }

                lostReason = null;
            }

            if (!decision.ShouldRestart)
            {
                WorkerLog.SlotStaysDown(logger, workerId, decision.GiveUpReason);
                _slot.MarkDown(decision.GiveUpReason);
                _context.OnSlotDown();
                break;
            }

            if (decision.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(decision.Delay, _context.Options.RestartPolicy.TimeProvider, shutdown).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Watches a connected worker until its connection closes, reaps it, and says why it was lost.</summary>
    private async Task<string> WatchUntilLostAsync(WorkerInstance instance, CancellationToken shutdown)
    {
        await _watchdog.WatchAsync(instance, shutdown).ConfigureAwait(false);
        if (!shutdown.IsCancellationRequested)
        {
            // Recorded and counted before the reaping below, which may wait for a hung process: a run that ends at the
            // first worker failure learns of it, and why, at the end of the frame it happened in. (The record is
            // completed with the exit status once the process is reaped.)
            _slot.RecordFailure($"worker {_slot.WorkerId} lost: {instance.Connection.BrokenReason ?? "its connection closed"}");
            _context.CountLoss();
        }

        await ProcessExit.KillAndWaitAsync(instance.Process).ConfigureAwait(false);
        instance.Exit.TrySetResult(instance.Process.HasExited ? ProcessExit.Describe(instance.Process) : " (state unknown)");

        var connection = instance.Connection;
        await connection.DisposeAsync().ConfigureAwait(false);
        if (!shutdown.IsCancellationRequested)
        {
            var exit = instance.Exit.Task.IsCompletedSuccessfully ? instance.Exit.Task.Result : string.Empty;
            var exitNote = exit.Length > 0 && connection.BrokenReason?.Contains(" exited", StringComparison.Ordinal) != true ? "; it exited" + exit : string.Empty;
            _slot.RecordFailure($"worker {_slot.WorkerId} lost: {connection.BrokenReason}{exitNote}");
        }

        return connection.BrokenReason ?? "its connection closed";
    }
}
