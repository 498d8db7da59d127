using System.Runtime.CompilerServices;
using Serilog;
using SimHost.Host.Ecs;
using SimHost.Layout.Jobs;

namespace SimHost.Host.Offload;

/// <summary>
/// Runs one offloaded system's frame: snapshot, split into ranges, run them all at once on the executor, re-run
/// failed ranges from a fresh copy of the untouched world (on the executor, then in-process), and commit the ranges
/// that succeeded. One per offloaded system; one frame at a time.
/// </summary>
public sealed class OffloadCoordinator : IOffloadCoordinator
{
    private readonly Snapshot _snapshot;
    private readonly IRangeExecutor _executor;
    private readonly IRangeExecutor _fallback;
    private readonly ILogger _logger;
    private readonly List<RangeSlice> _ranges = [];
    private readonly List<RangeSlice> _succeeded = [];
    private readonly List<RangeSlice> _failed = [];
    private readonly List<RangeSlice> _stillFailed = [];
    private ValueTask<RangeOutcome>[] _pending = [];

    /// <summary>Coordinates the job <paramref name="jobName"/> of the system whose snapshot is <paramref name="snapshot"/>.</summary>
    /// <param name="jobName">The job to run on every range.</param>
    /// <param name="parameters">The system's parameter blob.</param>
    /// <param name="snapshot">The system's snapshot and segments.</param>
    /// <param name="executor">Runs ranges (workers, or in-process).</param>
    /// <param name="fallback">Runs a range that failed on the executor every time; normally an <see cref="InProcessRangeExecutor"/>.</param>
    /// <param name="logger">Where range failures are reported; null for the global logger.</param>
    public OffloadCoordinator(string jobName, ReadOnlyMemory<byte> parameters, Snapshot snapshot, IRangeExecutor executor, IRangeExecutor fallback, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobName);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(fallback);
        JobName = jobName;
        Parameters = parameters;
        _snapshot = snapshot;
        _executor = executor;
        _fallback = fallback;
        _logger = (logger ?? Log.Logger).ForContext<OffloadCoordinator>();
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

    /// <summary>The system's snapshot.</summary>
    public Snapshot Snapshot => _snapshot;

    /// <summary>Runs the job over the rows <paramref name="query"/> matches and commits what it changed.</summary>
    /// <param name="query">The system's query.</param>
    /// <param name="frameId">The frame.</param>
    /// <param name="deltaTime">Seconds the frame advances.</param>
    /// <param name="time">Simulation time at the start of the frame.</param>
    /// <param name="cancellationToken">Stops waiting for ranges; nothing is committed then.</param>
    /// <returns>The frame's figures; <see cref="OffloadResult.RangesAbandoned"/> says whether some rows were not committed.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<OffloadResult> RunAsync(Query query, ulong frameId, double deltaTime, double time, CancellationToken cancellationToken)
    {
        var rows = SnapshotWriter.Write(query, _snapshot, frameId);
        // An executor with no live slot (every worker down) would only fail each range: run in-process at once.
        var first = _executor.ParallelSlots > 0 ? _executor : _fallback;
        RangeSplitter.Split(_snapshot.RowsPerSegment, Math.Max(1, first.ParallelSlots), _ranges);
        _succeeded.Clear();
        _failed.Clear();
        var timing = new RangeTiming(frameId, deltaTime, time);
        await RunAllAsync(first, _ranges, _failed, timing, cancellationToken);
        var failedFirst = _failed.Count;
        var retried = 0;

        // The world has not moved since the snapshot, so a failed range is restored from it and run again: on the
        // executor (a fresh worker) first, and in-process when that fails too.
        var lastAttempt = HasInProcessFallback ? MaxExecutorRetries : MaxExecutorRetries - 1;
        for (var attempt = 0; _failed.Count > 0 && attempt <= lastAttempt; attempt++)
        {
            var executor = attempt < MaxExecutorRetries ? _executor : _fallback;
            foreach (var range in _failed)
            {
                SnapshotWriter.Recopy(_snapshot, range);
            }

            retried += _failed.Count;
            _stillFailed.Clear();
            await RunAllAsync(executor, _failed, _stillFailed, timing, cancellationToken);
            _failed.Clear();
            _failed.AddRange(_stillFailed);
        }

        foreach (var range in _failed)
        {
            _logger.Error(
                "Offloaded system {System}: range {Segment}:{RowStart}+{RowCount} of job {Job} failed every retry; its rows keep their previous values this frame",
                _snapshot.Segments.SystemName, range.SegmentIndex, range.RowStart, range.RowCount, JobName);
        }

        var commit = CommitWriter.Commit(_snapshot, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_succeeded));
        return new OffloadResult(rows, commit.RowsCommitted, commit.RowsSkipped, _ranges.Count, failedFirst, retried, _failed.Count);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask RunAllAsync(IRangeExecutor executor, List<RangeSlice> ranges, List<RangeSlice> failed, RangeTiming timing, CancellationToken cancellationToken)
    {
        if (_pending.Length < ranges.Count)
        {
            _pending = new ValueTask<RangeOutcome>[ranges.Count];
        }

        var segments = _snapshot.Segments;
        for (var i = 0; i < ranges.Count; i++)
        {
            var range = ranges[i];
            var jobRange = new JobRange(range.RowStart, range.RowCount, segments.Columns.WritableColumns, timing.FrameId, timing.DeltaTime, timing.Time, Parameters, Ticks);
            var request = new RangeRequest(JobName, segments.Segments[range.SegmentIndex], segments.Generation, jobRange);
#pragma warning disable CA2012 // Stored only to be awaited exactly once, after every range has started.
            _pending[i] = RangeExecution.Start(executor, request, cancellationToken);
#pragma warning restore CA2012
        }

        for (var i = 0; i < ranges.Count; i++)
        {
            var outcome = await RangeExecution.Outcome(_pending[i]);
            _pending[i] = default;
            var range = ranges[i];
            if (outcome.Succeeded)
            {
                _succeeded.Add(range);
                continue;
            }

            failed.Add(range);
            _logger.Warning(
                "Offloaded system {System}: range {Segment}:{RowStart}+{RowCount} of job {Job} failed on {Where}: {Reason}",
                segments.SystemName, range.SegmentIndex, range.RowStart, range.RowCount, JobName, RangeExecution.Where(outcome), outcome.Failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private readonly record struct RangeTiming(ulong FrameId, double DeltaTime, double Time);
}
