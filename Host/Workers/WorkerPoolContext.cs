using Microsoft.Extensions.Logging;
using SimHost.Host.Diagnostics;
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

    /// <summary>
    /// The pool's most recent worker failure, whichever slot it came from: what a run that ends at the first failure
    /// names. (A slot keeps its own last failure after it recovers, so the slots' own ones can be old.)
    /// </summary>
    public string? LatestFailure
    {
        get => Volatile.Read(ref _latestFailure);
        set => Volatile.Write(ref _latestFailure, value);
    }

    private string? _latestFailure;

    /// <summary>The host's own catalog of the pool's job assemblies: where each job came from, to explain a worker's gap.</summary>
    public JobCatalog HostCatalog { get; } = hostCatalog;

    /// <summary>
    /// The jobs every worker must be able to run, once a simulation said which it uses
    /// (<see cref="Offload.IRangeExecutor.EnsureJobsAvailable"/>); a worker started later without one of them counts as a failed start.
    /// </summary>
    public IReadOnlyList<string> RequiredJobs => Volatile.Read(ref _requiredJobs);

    private IReadOnlyList<string> _requiredJobs = [];
    private readonly Lock _requiredJobsGate = new();

    /// <summary>Adds <paramref name="jobNames"/> to <see cref="RequiredJobs"/>, for every worker started from now on.</summary>
    public void RequireJobs(IReadOnlyCollection<string> jobNames)
    {
        lock (_requiredJobsGate)
        {
            // Set before the live workers are checked: one that connects meanwhile is checked by its slot instead.
            var required = new List<string>(_requiredJobs);
            foreach (var name in jobNames)
            {
                if (!required.Contains(name, StringComparer.Ordinal))
                {
                    required.Add(name);
                }
            }

            Volatile.Write(ref _requiredJobs, required);
        }
    }

    public CancellationToken Shutdown { get; } = shutdown;

    /// <summary>Connected workers lost over the pool's life (not stopped by its shutdown), whether replaced or not.</summary>
    public long WorkersLost => Interlocked.Read(ref _workersLost);

    private long _workersLost;

    /// <summary>Counts a connected worker lost, the moment its slot notices (before it is reaped or replaced).</summary>
    public void CountLoss()
    {
        Interlocked.Increment(ref _workersLost);
        SimHostInstruments.WorkersLost.Add(1);
    }

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
