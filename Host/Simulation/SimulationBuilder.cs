using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Host.Scheduling;
using SimHost.Host.SharedStorage;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Simulation;

/// <summary>
/// Assembles a <see cref="SimulationRunner"/>: the jobs offloaded systems may name, where their ranges run, where segment
/// files go, and the systems themselves. <see cref="Build"/> checks everything at once.
/// </summary>
public sealed partial class SimulationBuilder
{
    private readonly List<SystemBuilder> _systems = [];
    private JobCatalog? _catalog;
    private IRangeExecutor? _executor;
    private RunDirectory? _runDirectory;
    private SegmentLimits _limits = SegmentLimits.Default;
    private ILogger? _logger;
    private int _maxExecutorRetries = 1;
    private bool _hasInProcessFallback = true;
    private StorageMode _storage = StorageMode.Shared;
    private int? _threadCount;
    private TimeSpan? _hostJobTimeout;

    /// <summary>
    /// How many threads the host's own work may use (default: one per processor): the ranges of each offloaded job run
    /// in-process (<c>--workers 0</c> and fallbacks) at most this many at once, and the world's parallel queries are
    /// split over this many threads (<see cref="World.Threads"/>, owned and stopped by the simulation). Systems of one
    /// level run side by side, so two offloaded systems of a level may together use more. 1 runs every in-process
    /// range of a system on the frame's thread, one after another.
    /// </summary>
    /// <returns>This builder.</returns>
    public SimulationBuilder WithThreads(int threadCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        _threadCount = threadCount;
        return this;
    }

    /// <summary>
    /// How long a range in the host may run before it is reported overdue, when no pool says (<c>simhost run
    /// --workers 0</c> starts none; default: a pool's <see cref="WorkerPoolOptions.JobTimeout"/>).
    /// </summary>
    /// <returns>This builder.</returns>
    internal SimulationBuilder WithHostJobTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _hostJobTimeout = timeout;
        return this;
    }

    /// <summary>Whether <see cref="WithJobs"/> has been called.</summary>
    internal bool HasJobs => _catalog is not null;

    /// <summary>The systems added so far, in order (for <c>simhost describe</c>: each one's job or in-process work).</summary>
    internal IReadOnlyList<SystemBuilder> Systems => _systems;

    /// <summary>
    /// The jobs offloaded systems may name (default: none; <see cref="Modules.SimulationModule.Build"/> gives the
    /// module's jobs). A system that offloads a job the catalog does not have is refused at <see cref="Build"/>.
    /// </summary>
    /// <returns>This builder.</returns>
    public SimulationBuilder WithJobs(JobCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        return this;
    }

    /// <summary>
    /// Runs offloaded ranges on <paramref name="workers"/> (default: in-process, as <c>--workers 0</c>). The simulation
    /// does not dispose the pool.
    /// </summary>
    /// <returns>This builder.</returns>
    public SimulationBuilder WithExecutor(WorkerPool workers) => WithExecutor((IRangeExecutor)workers);

    /// <summary>Where offloaded ranges run (default: in-process). The simulation does not dispose it.</summary>
    /// <returns>This builder.</returns>
    internal SimulationBuilder WithExecutor(IRangeExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(executor);
        _executor = executor;
        return this;
    }

    /// <summary>The run directory segment files go in (default: a fresh one, removed when the simulation is disposed).</summary>
    /// <returns>This builder.</returns>
    public SimulationBuilder WithRunDirectory(RunDirectory runDirectory)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        _runDirectory = runDirectory;
        return this;
    }

    /// <summary>
    /// Where the world keeps offloaded systems' columns (default <see cref="StorageMode.Shared"/>, as <c>simhost run</c>):
    /// <see cref="Build"/> moves them into shared segments until the simulation is disposed. Both modes honour the same
    /// contract (docs/contract.md); they differ only in speed and shared memory.
    /// </summary>
    /// <returns>This builder.</returns>
    public SimulationBuilder WithStorage(StorageMode storage)
    {
        if (!Enum.IsDefined(storage))
        {
            throw new ArgumentOutOfRangeException(nameof(storage), storage, "Unknown storage mode.");
        }

        _storage = storage;
        return this;
    }

    /// <summary>The largest segment and the total shared memory (default <see cref="SegmentLimits.Default"/>).</summary>
    /// <returns>This builder.</returns>
    public SimulationBuilder WithSegmentLimits(SegmentLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        return this;
    }

    /// <summary>Where range failures are logged (default: nowhere, <see cref="Microsoft.Extensions.Logging.Abstractions.NullLogger"/>).</summary>
    /// <returns>This builder.</returns>
    public SimulationBuilder WithLogger(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        return this;
    }

    /// <summary>How often a failed range is re-run on the executor before the in-process fallback (default 1).</summary>
    /// <returns>This builder.</returns>
    public SimulationBuilder WithExecutorRetries(int retries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        _maxExecutorRetries = retries;
        return this;
    }

    /// <summary>
    /// Whether a range that failed every executor retry runs in-process as the last resort (default true). False
    /// fails the system for the frame instead (<see cref="OffloadFailedException"/>), as <c>--on-worker-failure fail</c>.
    /// </summary>
    /// <returns>This builder.</returns>
    public SimulationBuilder WithInProcessFallback(bool enabled)
    {
        _hasInProcessFallback = enabled;
        return this;
    }

    /// <summary>Adds a system named <paramref name="name"/>, described by <paramref name="configure"/>.</summary>
    /// <returns>This builder.</returns>
    public SimulationBuilder AddSystem(string name, Action<SystemBuilder> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var system = new SystemBuilder(name);
        configure(system);
        _systems.Add(system);
        return this;
    }

    /// <summary>Checks the systems, orders them and prepares their queries, command buffers and segments.</summary>
    /// <param name="world">The world the systems run on.</param>
    /// <returns>The simulation; dispose it to delete its segment files.</returns>
    /// <exception cref="SimulationBuildException">A system has no or two kinds of work, names an unknown job, or misdeclares its components.</exception>
    /// <exception cref="ScheduleValidationException">Duplicate names, unknown stages or systems, or ordering cycles.</exception>
    /// <exception cref="SharedMemoryLimitException">A segment of the allowed size cannot hold even 64 rows.</exception>
    /// <exception cref="JobUnavailableException">The executor cannot run an offloaded job (a worker could not load it).</exception>
    public SimulationRunner Build(World world)
    {
        ArgumentNullException.ThrowIfNull(world);
        var catalog = _catalog ?? JobCatalog.FromAssemblies([]);
        var problems = new List<string>();
        foreach (var system in _systems)
        {
            SystemValidation.Validate(system, catalog, problems);
        }

        if (problems.Count > 0)
        {
            throw new SimulationBuildException(string.Join(Environment.NewLine, problems));
        }

        // Before anything is allocated: a job a worker cannot load is refused here, once, not failed every frame.
        _executor?.EnsureJobsAvailable(SystemWiring.OffloadedJobNames(_systems));

        // Queries first: a Changed filter is a read the scheduler must know about, and decides the system's storage path.
        var queries = new Dictionary<string, Query>(StringComparer.Ordinal);
        foreach (var system in _systems)
        {
            queries[system.Name] = SystemWiring.QueryOf(system, world);
        }

        var tickLock = new Lock();
        var states = new Dictionary<string, SystemState>(StringComparer.Ordinal);
        var keptOutOfHost = new JobsKeptOutOfHost();
        var scheduleBuilder = new ScheduleBuilder();
        foreach (var system in _systems)
        {
            // Placeholder work: the real state is attached below once the schedule has validated the names.
            scheduleBuilder.Add(SystemWiring.Describe(system, queries[system.Name], states));
        }

        var schedule = scheduleBuilder.Build();
        var ownedRunDirectory = _runDirectory is null && SystemWiring.OffloadedJobNames(_systems).Count > 0 ? RunDirectory.Create() : null;
        var runDirectory = _runDirectory ?? ownedRunDirectory;
        var threadCount = _threadCount ?? Environment.ProcessorCount;
        // A pool of no workers (WorkerCount = 0) means in-process, as --workers 0 does: run there without a detour.
        var isInProcess = _executor is null or WorkerPool { SlotCount: 0 };
        // A range in the host cannot be stopped: one that outlasts the job timeout is reported, at least. Every range that
        // can run at once needs an entry: the executor's threads and one holding the caller, and in-process the staged
        // passes beside them (one on the world's threads, any other alone on its own thread).
        var rangesAtOnce = threadCount + 1 + (isInProcess ? (_threadCount ?? world.Threads.ThreadCount) + _systems.Count : 0);
        var overdue = new InProcessOverdueWatch(rangesAtOnce, (_executor as WorkerPool)?.JobTimeout ?? _hostJobTimeout ?? new WorkerPoolOptions().JobTimeout, _logger ?? NullLogger.Instance);
        var inProcess = new InProcessRangeExecutor(catalog, threadCount, overdue);
        var executor = isInProcess ? inProcess : _executor!;
        var budget = new SharedMemoryBudget(_limits.MaxSharedMemoryBytes);
        List<IDisposable> segments = [overdue];
        try
        {
            if (_threadCount is { } ownThreads)
            {
                var threads = new QueryThreads(ownThreads);
                segments.Add(threads);
                world.Threads = threads;
            }

            SharedColumnStore? store = null;
            var sharedComponents = SystemWiring.SharedComponents(_systems, queries, _storage);
            if (sharedComponents.Count > 0)
            {
                store = new SharedColumnStore(runDirectory!, sharedComponents, budget);
                segments.Add(store);
                store.Install(world);
            }

            foreach (var system in _systems)
            {
                var query = queries[system.Name];
                OffloadCoordinator? coordinator = null;
                if (system.JobName is { } jobName)
                {
                    var writes = SystemWiring.Components(system.ComponentWrites);
                    var reads = SystemWiring.Components(system.ComponentReads);
                    IOffloadStorage storage;
                    StagedInProcessPass? staged = null;
                    if (store is not null && SystemWiring.RunsInPlace(query))
                    {
                        // Shared segments are sized per archetype, but a segment size that cannot hold one aligned
                        // block of the system's rows is refused as in snapshot storage: the flag means the same in both.
                        OffloadSegments.ComputeMaxRowsPerSegment(system.Name, new SnapshotColumns(writes, reads), _limits.MaxSegmentSizeBytes);
                        catalog.TryGet(jobName, out var job);
                        storage = new SharedColumnStorage(jobName, job!.WritesEveryRow, writes, reads, store);
                    }
                    else
                    {
                        // Snapshot storage, or a Changed-filtered system on shared storage: its matching rows are
                        // scattered through the archetypes, so they are copied into the system's own segments.
                        var systemSegments = new OffloadSegments(system.Name, new SnapshotColumns(writes, reads), runDirectory!, _limits, budget);
                        segments.Add(systemSegments);
                        var snapshot = new Snapshot(world, systemSegments);
                        storage = new SnapshotStorage(snapshot);
                        if (ReferenceEquals(executor, inProcess))
                        {
                            // In-process only: copy, job and commit piece by piece while the rows are in cache.
                            staged = new StagedInProcessPass(snapshot, inProcess, _logger ?? NullLogger.Instance);
                            segments.Add(staged);
                        }
                    }

                    coordinator = new OffloadCoordinator(jobName, system.JobParameters, storage, executor, inProcess, _logger)
                    {
                        KeptOutOfHost = keptOutOfHost,
                        MaxExecutorRetries = _maxExecutorRetries,
                        HasInProcessFallback = _hasInProcessFallback,
                        Ticks = system.JobTicks,
                        Staged = staged,
                    };
                }

                states[system.Name] = new SystemState(system.Name, system.Stage, world, query, tickLock, system.Work, coordinator);
            }
        }
        catch
        {
            foreach (var built in segments)
            {
                built.Dispose();
            }

            ownedRunDirectory?.Dispose();
            throw;
        }

        var (inScheduleOrder, byStage) = SystemWiring.Order(schedule, _systems, states);
        return new SimulationRunner(world, schedule, inScheduleOrder, byStage, [.. segments], ownedRunDirectory);
    }
}
