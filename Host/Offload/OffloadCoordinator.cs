using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SimHost.Host.Ecs;
using SimHost.Layout.Jobs;

namespace SimHost.Host.Offload;

/// <summary>
/// Runs one offloaded system's frame, whatever the storage: prepare the rows (<see cref="IOffloadStorage"/>), split
/// them into ranges, run them all at once on the executor, re-run failed ranges from the untouched world (on the
/// executor, then in-process) and commit the ranges that succeeded. One per offloaded system; one frame at a time.
/// </summary>
internal sealed class OffloadCoordinator
{
    private readonly IOffloadStorage _storage;
    private readonly IRangeExecutor _executor;
    private readonly IRangeExecutor _fallback;
    private readonly ILogger _logger;
    private readonly List<JobRange> _segments = [];
    private readonly StagedInProcessPass? _staged;
    private readonly StagedPassRun? _stagedRun;
    private RangeRetryLoop? _loop;

    /// <summary>Coordinates the job <paramref name="jobName"/> of one system over <paramref name="storage"/>.</summary>
    /// <param name="jobName">The job to run on every range.</param>
    /// <param name="parameters">The system's parameter blob.</param>
    /// <param name="storage">Snapshot or shared storage of the system's rows.</param>
    /// <param name="executor">Runs ranges (workers, or in-process).</param>
    /// <param name="fallback">Runs a range that failed on the executor every time; normally an <see cref="InProcessRangeExecutor"/>.</param>
    /// <param name="logger">Where range failures are reported; null logs nothing.</param>
    public OffloadCoordinator(string jobName, ReadOnlyMemory<byte> parameters, IOffloadStorage storage, IRangeExecutor executor, IRangeExecutor fallback, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobName);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(fallback);
        JobName = jobName;
        Parameters = parameters;
        _storage = storage;
        _executor = executor;
        _fallback = fallback;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The job every range runs.</summary>
    public string JobName { get; }

    /// <summary>The system's parameter blob, sent with every range.</summary>
    public ReadOnlyMemory<byte> Parameters { get; }

    /// <summary>
    /// How many ticks the job runs back to back over each range per frame (default 1), each of the frame's delta time:
    /// the system advances <c>Ticks × deltaTime</c> per frame with one round trip per range.
    /// </summary>
    public int Ticks { get; init; } = 1;

    /// <summary>How many times a failed range is re-run on the executor before the in-process fallback (default 1).</summary>
    public int MaxExecutorRetries { get; init; } = 1;

    /// <summary>
    /// Whether a range that failed every executor retry runs in-process as the last resort (default true). False
    /// abandons it: nothing of it is committed and <see cref="OffloadResult.RangesAbandoned"/> counts it.
    /// </summary>
    public bool HasInProcessFallback { get; init; } = true;

    /// <summary>Runs the job over the rows <paramref name="query"/> matches and makes what it changed current.</summary>
    /// <param name="query">The system's query.</param>
    /// <param name="frameId">The frame.</param>
    /// <param name="deltaTime">Seconds the frame advances.</param>
    /// <param name="time">Simulation time at the start of the frame.</param>
    /// <param name="cancellationToken">Stops waiting for ranges; nothing is committed then.</param>
    /// <returns>The frame's figures; <see cref="OffloadResult.RangesAbandoned"/> says whether some rows were not committed.</returns>
    public ValueTask<OffloadResult> RunAsync(Query query, ulong frameId, double deltaTime, double time, CancellationToken cancellationToken) =>
        RunAsync(query, frameId, deltaTime, time, mayBlockCaller: false, cancellationToken);

    /// <summary>Where and why the latest failed range run of the last frame failed, or null when none failed.</summary>
    public string? LastFailure => Staged is { } staged ? staged.LastFailure : _loop?.LastFailure;

    /// <summary>
    /// The simulation's jobs that crashed or hung a worker, shared by all its coordinators (a job two systems offload
    /// is kept out of the host by both); a coordinator of its own has a set of its own.
    /// </summary>
    public JobsKeptOutOfHost KeptOutOfHost { get; init; } = new();

    /// <summary>How the job crashed or hung a worker, after which it is never run in the host; null while it has not.</summary>
    public string? NotRunInHostBecause => _loop?.NotRunInHostBecause;

    /// <summary>
    /// Runs the system's frames in the host piece by piece (<c>--workers 0</c> over snapshot storage) instead of
    /// through the storage and executor; null (the default) goes through them. The caller owns and disposes it.
    /// </summary>
    public StagedInProcessPass? Staged
    {
        get => _staged;
        init
        {
            _staged = value;
            _stagedRun = value is null ? null : new StagedPassRun(value);
        }
    }

    /// <summary>
    /// Like <see cref="RunAsync(Query, ulong, double, double, CancellationToken)"/>; when
    /// <paramref name="mayBlockCaller"/> is true nothing waits behind the calling thread, so the last range's reply may
    /// be awaited on it (<see cref="IRangeExecutor.RunAsync"/>).
    /// </summary>
    /// <param name="query">The system's query.</param>
    /// <param name="frameId">The frame.</param>
    /// <param name="deltaTime">Seconds the frame advances.</param>
    /// <param name="time">Simulation time at the start of the frame.</param>
    /// <param name="mayBlockCaller">Whether the calling thread may be held until the last range's reply.</param>
    /// <param name="cancellationToken">Stops waiting for ranges; nothing is committed then.</param>
    /// <returns>The frame's figures. In shared storage <see cref="OffloadResult.RowsSnapshotted"/> counts the rows the job ran over; none were copied.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<OffloadResult> RunAsync(Query query, ulong frameId, double deltaTime, double time, bool mayBlockCaller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_staged is not null)
        {
            return await RunStagedAsync(query, frameId, deltaTime, time, mayBlockCaller, cancellationToken);
        }

        // Built at the first frame, once the init-only retry settings are final.
        var loop = _loop ??= new RangeRetryLoop(_executor, _fallback, _logger, JobName, KeptOutOfHost) { MaxExecutorRetries = MaxExecutorRetries, HasInProcessFallback = HasInProcessFallback };
        var rows = _storage.Prepare(query, frameId);
        var job = new JobRange { JobName = JobName, FrameId = frameId, DeltaTime = deltaTime, Time = time, Ticks = Ticks, Parameters = Parameters };
        _segments.Clear();
        for (var i = 0; i < _storage.SegmentCount; i++)
        {
            _segments.Add(_storage.WholeSegment(i, job));
        }

        RangeSplitter.Split(CollectionsMarshal.AsSpan(_segments), loop.ParallelSlots, loop.Ranges);

        // The world does not move while the ranges run, so a failed range is prepared again from it and re-run.
        var (failedFirst, retried) = await loop.RunAsync(_storage, JobName, mayBlockCaller, cancellationToken);
        var commit = _storage.Commit(loop, failedFirst);
        return new OffloadResult(rows, commit.RowsCommitted, commit.RowsSkipped, loop.Ranges.Count, failedFirst, retried, loop.Abandoned.Count);
    }

    // Each piece is tried as often as a range would be: its first run, the executor's retries and the fallback.
    private ValueTask<OffloadResult> RunStagedAsync(Query query, ulong frameId, double deltaTime, double time, bool mayBlockCaller, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var attempts = 1 + MaxExecutorRetries + (HasInProcessFallback ? 1 : 0);
        var job = new JobRange { JobName = JobName, FrameId = frameId, DeltaTime = deltaTime, Time = time, Ticks = Ticks, Parameters = Parameters };
        if (!_staged!.Prepare(query, job, attempts))
        {
            return ValueTask.FromResult(default(OffloadResult));
        }

        // A caller that others wait behind hands the pass to the thread pool, as the executor would its ranges.
        return mayBlockCaller || _executor.ParallelSlots == 1 ? ValueTask.FromResult(_staged.Run()) : _stagedRun!.Start();
    }
}
