using Serilog;
using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>What every slot of one pool shares: settings, launcher, secrets, layouts, and the pool's callbacks.</summary>
internal sealed class WorkerPoolContext(
    WorkerPoolOptions options,
    WorkerLauncher launcher,
    AuthToken token,
    ulong runId,
    IReadOnlySet<ulong> layoutHashes,
    ILogger logger,
    Action<WorkerSlot> onSlotReady,
    Action onSlotDown,
    Action onRestart,
    CancellationToken shutdown)
{
    public WorkerPoolOptions Options { get; } = options;

    public WorkerLauncher Launcher { get; } = launcher;

    public AuthToken Token { get; } = token;

    public ulong RunId { get; } = runId;

    public IReadOnlySet<ulong> LayoutHashes { get; } = layoutHashes;

    public ILogger Logger { get; } = logger;

    public CancellationToken Shutdown { get; } = shutdown;

    /// <summary>Slots with a job in flight right now, across the pool.</summary>
    public int BusyWorkers => Volatile.Read(ref _busyWorkers);

    private int _busyWorkers;

    /// <summary>Counts a job in flight; returns the count including it.</summary>
    public int EnterBusy() => Interlocked.Increment(ref _busyWorkers);

    /// <summary>Uncounts a job that ended.</summary>
    public void ExitBusy() => Interlocked.Decrement(ref _busyWorkers);

    public void OnSlotReady(WorkerSlot slot) => onSlotReady(slot);

    public void OnSlotDown() => onSlotDown();

    public void OnRestart() => onRestart();
}
