using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SimHost.Host.Diagnostics;
using SimHost.Host.Offload;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;
using SimHost.Layout.Segments;

namespace SimHost.Host.Workers;

/// <summary>
/// Runs job ranges on a pool of simhost-worker processes, one range per worker at a time. A worker that crashes,
/// hangs past the job timeout or breaks the protocol is killed, its range reported failed (never thrown), and the
/// worker replaced in the background as the <see cref="RestartPolicy"/> allows.
/// </summary>
/// <remarks>
/// <see cref="ParallelSlots"/> counts live workers and is 0 when none is running (all failed, or every slot given
/// up by the restart policy): the caller should then run ranges in-process. Running a range on a pool with
/// no live worker and no restart pending returns a failed outcome at once.
/// </remarks>
public sealed class WorkerPool : IRangeExecutor, IAsyncDisposable
{
    private readonly WorkerSlot[] _slots;
    private readonly Channel<WorkerSlot> _idle = Channel.CreateUnbounded<WorkerSlot>();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ILogger _logger;
    private int _slotsDown;
    private long _restarts;
    private int _isDisposed;

    private readonly WorkerPoolContext _context;

    // The pipes' own private directory when the options name none: never the shared temp folder, where a killed host
    // would leave its sockets (a later run's stale sweep removes this directory).
    private readonly RunDirectory? _ownPipeDirectory;

    private WorkerPool(WorkerPoolOptions options, WorkerLauncher launcher, IReadOnlySet<ulong> layoutHashes, JobCatalog hostCatalog, ILogger logger)
    {
        _logger = logger;
        var runId = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(sizeof(ulong)));
        var context = new WorkerPoolContext(
            options, launcher, AuthToken.CreateRandom(), runId, layoutHashes, hostCatalog, logger, Enqueue, OnSlotDown, CountRestart, _shutdown.Token);
        _context = context;
        var pipeSuffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        _ownPipeDirectory = options.PipeDirectory is null && options.WorkerCount > 0 ? RunDirectory.Create() : null;
        var pipeDirectory = options.PipeDirectory ?? _ownPipeDirectory?.Path;
        _slots = new WorkerSlot[options.WorkerCount];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new WorkerSlot((uint)i, WorkerPipePaths.For(pipeDirectory, i, pipeSuffix), context);
        }

        SimHostInstruments.Track(this);
        if (_slots.Length == 0)
        {
            // No worker will ever be idle: a range asked of this pool fails at once and the caller runs it in-process.
            _idle.Writer.TryComplete();
        }
    }

    /// <summary>Workers currently connected and usable; 0 means the caller should run ranges in-process.</summary>
    public int ParallelSlots
    {
        get
        {
            var alive = 0;
            foreach (var slot in _slots)
            {
                alive += slot.IsAlive ? 1 : 0;
            }

            return alive;
        }
    }

    /// <summary>Worker slots the pool was started with.</summary>
    public int SlotCount => _slots.Length;

    /// <summary>Slots the restart policy gave up for good; when it equals <see cref="SlotCount"/>, ranges must run in-process.</summary>
    public int SlotsDown => Volatile.Read(ref _slotsDown);

    /// <summary>Why each slot that is down went down (<c>slot 1: ... after ...</c>), joined by "; ", or null when none is.</summary>
    public string? DownReasons
    {
        get
        {
            List<string>? reasons = null;
            foreach (var slot in _slots)
            {
                if (slot.IsDown && slot.DownReason is { } reason)
                {
                    (reasons ??= []).Add(reason);
                }
            }

            return reasons is null ? null : string.Join("; ", reasons);
        }
    }

    /// <summary>The most recent worker failure, whichever slot it came from, or null when none has failed.</summary>
    public string? LastFailure => _context.LatestFailure;

    /// <summary>The job timeout the pool kills workers after; ranges run in the host are reported after it.</summary>
    internal TimeSpan JobTimeout => _context.Options.JobTimeout;

    /// <summary>Workers sent a range they have not answered yet.</summary>
    internal int BusyWorkers => _context.BusyWorkers;

    /// <summary>Workers started to replace one that failed, over the pool's life.</summary>
    public long RestartCount => Interlocked.Read(ref _restarts);

    /// <summary>
    /// Connected workers lost over the pool's life: crashed, killed, hung past the job timeout or broke the protocol,
    /// whether a replacement was started or not. A worker killed because the caller cancelled a frame during its range
    /// counts too (it cannot be reused); workers stopped by <see cref="DisposeAsync"/> do not.
    /// </summary>
    public long LostWorkerCount => _context.WorkersLost;

    /// <summary>
    /// Whether a worker may be lost though <see cref="LostWorkerCount"/> may not count it yet: its process has exited or
    /// its connection closed, on a slot not down (the count follows within milliseconds; the answer stays true until
    /// the slot is down or has a new worker). Lets a caller that must end at the first worker failure look once more
    /// before it declares success.
    /// </summary>
    internal bool HasUnnoticedExit()
    {
        foreach (var slot in _slots)
        {
            if (slot.Current is { } current && !slot.IsDown && (!current.Connection.IsOpen || ProcessExit.HasExited(current.Process)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The process ids of the live workers right now (for diagnostics and chaos tests).</summary>
    public IReadOnlyList<int> WorkerProcessIds => [.. _slots.Select(static slot => slot.ProcessId).OfType<int>()];

    /// <summary>
    /// Loads the job catalog (exactly <see cref="WorkerPoolOptions.JobAssemblies"/>) to learn
    /// the component layouts, starts every worker in parallel and waits for each to say Hello or fail.
    /// </summary>
    /// <param name="options">Worker count, timeouts, job assemblies, log level, pipe directory.</param>
    /// <param name="logger">The host's log (default: none); every worker event carries a WorkerId property.</param>
    /// <param name="cancellationToken">Cancels the start; the workers started so far are stopped.</param>
    /// <returns>The pool, with at least one worker running when any was asked for; check <see cref="ParallelSlots"/> (workers that failed to start are retried in the background).</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="JobCatalogException">A job assembly cannot be loaded.</exception>
    /// <exception cref="WorkerStartException">
    /// simhost-worker is not next to the host, or not one worker could start: when every first start fails, each slot
    /// first retries as its restart policy allows (a worker killed while starting comes back), so a policy that never
    /// gives up (<see cref="RestartPolicy.MaxConsecutiveStartFailures"/>) waits until a worker connects or the token is cancelled.
    /// </exception>
    public static async Task<WorkerPool> StartAsync(WorkerPoolOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        options.Validate();

        var catalog = JobCatalog.Load([], options.JobAssemblies);
        var hashes = catalog.ComponentLayouts.Select(layout => layout.Hash).ToHashSet(); // once, at start

        var launcher = options.WorkerCount == 0 ? WorkerLauncher.None : WorkerLauncher.Locate(options.WorkerDirectory);
        var pool = new WorkerPool(options, launcher, hashes, catalog, logger);
        try
        {
            await WorkerPoolStart.StartEveryWorkerAsync(pool._slots, cancellationToken).ConfigureAwait(false);
            if (pool._slots.Length == 0)
            {
                WorkerLog.PoolStartedEmpty(logger);
            }
            else
            {
                WorkerLog.PoolStarted(logger, pool.ParallelSlots, pool._slots.Length);
            }

            return pool;
        }
        catch
        {
            await pool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc cref="IRangeExecutor.RunAsync"/>
    ValueTask<RangeOutcome> IRangeExecutor.RunAsync(Layout.Segments.SharedSegment segment, JobRange range, bool mayBlockCaller, CancellationToken cancellationToken) =>
        RunAsync(range, mayBlockCaller, cancellationToken);

    /// <summary>
    /// Waits for an idle worker and runs the range on it under the job timeout. Never throws for a worker failure:
    /// a crash, hang, protocol break or job exception comes back as <see cref="RangeOutcome.Failed"/>, and a range no
    /// worker was left to start (every slot down, the pool shut down) as <see cref="RangeOutcome.NotStarted"/>.
    /// </summary>
    /// <param name="range">The range; the worker maps its segment by path.</param>
    /// <param name="mayBlockCaller">Whether nothing waits behind the calling thread, so it may spin for the reply (<see cref="IRangeExecutor.RunAsync"/>).</param>
    /// <param name="cancellationToken">Cancels the wait; a worker cancelled mid-job is killed and replaced.</param>
    /// <returns>The range's outcome.</returns>
    /// <exception cref="OperationCanceledException">The token fired.</exception>
    internal async ValueTask<RangeOutcome> RunAsync(JobRange range, bool mayBlockCaller, CancellationToken cancellationToken)
    {
        while (true)
        {
            WorkerSlot slot;
            try
            {
                slot = await _idle.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                return RangeOutcome.NotStarted(
                    Volatile.Read(ref _isDisposed) != 0 ? "the worker pool is shut down"
                    : _slots.Length == 0 ? "the pool has no workers (WorkerCount = 0); ranges run in-process"
                    : "no worker is running; every slot is down");
            }

            slot.MarkDequeued();
            if (!slot.IsAlive)
            {
                // Its supervision loop queues it again once a replacement says Hello.
                continue;
            }

            var outcome = await slot.RunAsync(range, mayBlockCaller, cancellationToken).ConfigureAwait(false);
            if (slot.IsAlive)
            {
                Enqueue(slot);
            }

            return outcome;
        }
    }

    /// <summary>
    /// Checks that every live worker loaded every job in <paramref name="jobNames"/> (from the JobCatalog it sent at
    /// handshake), and requires them of every worker started from now on: a replacement that cannot load one is
    /// treated as a worker that failed to start.
    /// </summary>
    /// <param name="jobNames">The jobs the simulation offloads.</param>
    /// <exception cref="JobUnavailableException">
    /// A live worker cannot run a job; the message names the job, the worker, the worker's reason and the fix.
    /// </exception>
    void IRangeExecutor.EnsureJobsAvailable(IReadOnlyCollection<string> jobNames)
    {
        ArgumentNullException.ThrowIfNull(jobNames);
        _context.RequireJobs(jobNames);
        foreach (var slot in _slots)
        {
            if (slot.Catalog is { } catalog && JobAvailability.FindMissing(jobNames, slot.WorkerId, catalog, _context.HostCatalog) is { } missing)
            {
                // Thrown, not logged: the caller reports it (the CLI as its one line), so it is said once.
                throw missing;
            }
        }
    }

    /// <summary>Sends every worker Shutdown, waits up to the grace period, kills what remains and removes the pipes.</summary>
    /// <returns>A task that completes when every worker process has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _isDisposed, 1) != 0)
        {
            return;
        }

        SimHostInstruments.Forget(this);
        await _shutdown.CancelAsync().ConfigureAwait(false);
        _idle.Writer.TryComplete();
        var stops = new Task[_slots.Length];
        for (var i = 0; i < _slots.Length; i++)
        {
            stops[i] = _slots[i].ShutdownAsync();
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
        for (var i = 0; i < _slots.Length; i++)
        {
            stops[i] = _slots[i].Supervision;
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
        foreach (var slot in _slots)
        {
            WorkerPipePaths.TryDelete(slot.PipePath);
        }

        _shutdown.Dispose();
        _ownPipeDirectory?.Dispose();
        WorkerLog.PoolStopped(_logger, RestartCount);
    }

    private void Enqueue(WorkerSlot slot)
    {
        if (slot.TryMarkQueued() && !_idle.Writer.TryWrite(slot))
        {
            slot.MarkDequeued();
        }
    }

    private void CountRestart()
    {
        Interlocked.Increment(ref _restarts);
        SimHostInstruments.WorkerRestarts.Add(1);
    }

    private void OnSlotDown()
    {
        SimHostInstruments.SlotDown(this);
        if (Interlocked.Increment(ref _slotsDown) == _slots.Length)
        {
            // Said once per run by whoever owns the frame loop (it knows from which frame); see ScenarioRun.
            WorkerLog.EverySlotDown(_logger);
            _idle.Writer.TryComplete();
        }
    }
}
