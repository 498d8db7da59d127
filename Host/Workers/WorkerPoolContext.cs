using Microsoft.Extensions.Logging;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>What every slot of one pool shares: settings, launcher, secrets, layouts, and the pool's callbacks.</summary>
internal sealed class WorkerPoolContext(
    WorkerPoolOptions options,
    WorkerLauncher launcher,
    AuthToken token,
    ulong runId,
    IReadOnlySet<ulong> layoutHashes,
    JobCatalog hostCatalog,
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

    /// <summary>The host's own catalog of the pool's job assemblies: where each job came from, to explain a worker's gap.</summary>
    public JobCatalog HostCatalog { get; } = hostCatalog;

    /// <summary>
    /// The jobs every worker must be able to run, once a simulation said which it uses
    /// (<see cref="WorkerPool.EnsureJobsAvailable"/>); a worker started later without one of them counts as a failed start.
    /// </summary>
    public IReadOnlyList<string> RequiredJobs
    {
        get => Volatile.Read(ref _requiredJobs);
        set => Volatile.Write(ref _requiredJobs, value);
    }

    private IReadOnlyList<string> _requiredJobs = [];

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
