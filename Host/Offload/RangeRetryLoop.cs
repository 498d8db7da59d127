using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using SimHost.Layout.Jobs;

namespace SimHost.Host.Offload;

/// <summary>
/// The run-all, retry and fallback loop both offload coordinators share: start every range at once, await them all,
/// then re-run the failed ones (prepared again from the untouched world by the <see cref="IOffloadStorage"/>) on the
/// executor up to <see cref="MaxExecutorRetries"/> times and in-process last. What succeeded is committed by the
/// caller; what failed every time is abandoned and logged. One per coordinator, one frame at a time; steady frames
/// allocate nothing.
/// </summary>
/// <remarks>
/// A job that has crashed or hung a worker by itself (<see cref="RangeOutcome.CrashedOrHungItsWorker"/>) is never run
/// in-process again: a FailFast or a stack overflow in the host ends the host, and a range in the host cannot be
/// stopped. Its ranges run on the executor only, and one that fails there every time is abandoned (its frame fails)
/// rather than taking the world down with it. A worker killed from outside (SIGKILL) or a job that threw leaves the
/// fallback as it was.
/// </remarks>
internal sealed class RangeRetryLoop
{
    private readonly IRangeExecutor _executor;
    private readonly IRangeExecutor _fallback;
    private readonly ILogger _logger;
    private readonly List<JobRange> _stillFailed = [];
    private ValueTask<RangeOutcome>[] _pending = [];
    private readonly string _jobName;
    private readonly JobsKeptOutOfHost _keptOut;
    private bool _isInProcessForNoWorker;

    /// <param name="executor">Runs ranges (workers, or in-process).</param>
    /// <param name="fallback">Runs a range that failed on the executor every time.</param>
    /// <param name="logger">Where range failures are reported.</param>
    /// <param name="jobName">The job every range of this loop runs.</param>
    /// <param name="keptOut">The simulation's jobs that crashed or hung a worker, shared by its loops.</param>
    public RangeRetryLoop(IRangeExecutor executor, IRangeExecutor fallback, ILogger logger, string jobName, JobsKeptOutOfHost keptOut)
    {
        _executor = executor;
        _fallback = fallback;
        _logger = logger;
        _jobName = jobName;
        _keptOut = keptOut;
    }

    /// <summary>How many times a failed range is re-run on the executor before the in-process fallback.</summary>
    public int MaxExecutorRetries { get; init; } = 1;

    /// <summary>Whether a range that failed every executor retry runs in-process as the last resort.</summary>
    public bool HasInProcessFallback { get; init; } = true;

    /// <summary>The ranges of this frame; the caller fills it (<see cref="RangeSplitter"/>) before <see cref="RunAsync"/>.</summary>
    public List<JobRange> Ranges { get; } = [];

    /// <summary>The ranges that completed this frame, in completion-check order.</summary>
    public List<JobRange> Succeeded { get; } = [];

    /// <summary>The ranges that failed every attempt this frame: nothing of them may be committed.</summary>
    public List<JobRange> Abandoned { get; } = [];

    /// <summary>Where and why the latest failed run of this frame failed (<c>worker 1: ...</c>), or null when none failed.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>
    /// Where and how the job crashed or hung a worker (<c>worker 1: failed during ...</c>), after which it is never run
    /// in the host; null while it has not.
    /// </summary>
    public string? NotRunInHostBecause => _keptOut.ReasonFor(_jobName);

    /// <summary>How many parallel ranges to split into: the executor's slots, or the fallback's when no worker is up.</summary>
    public int ParallelSlots => Math.Max(1, First.ParallelSlots);

    private bool MayRunInHost => HasInProcessFallback && NotRunInHostBecause is null;

    // An executor with no live slot (every worker down) would only fail each range: run in-process at once, unless the
    // policy forbids in-process runs (fail) or the job crashed or hung a worker, in which case the executor's immediate
    // failure is the honest answer.
    private IRangeExecutor First => _executor.ParallelSlots > 0 || !MayRunInHost ? _executor : _fallback;

    /// <summary>Runs every range of <see cref="Ranges"/>, retrying failures; fills <see cref="Succeeded"/> and <see cref="Abandoned"/>.</summary>
    /// <returns>Ranges that failed their first run, and range runs retried.</returns>
    /// <exception cref="OperationCanceledException">The token fired; nothing may be committed then.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<(int FailedFirst, int Retried)> RunAsync(IOffloadStorage storage, string jobName, bool mayBlockCaller, CancellationToken cancellationToken)
    {
        Succeeded.Clear();
        Abandoned.Clear();
        LastFailure = null;
        var first = First;
        NoteWhereRangesRun(first, jobName);
        await RunAllAsync(first, storage, jobName, Ranges, Abandoned, mayBlockCaller, cancellationToken);
        var failedFirst = Abandoned.Count;
        var retried = 0;
        var lastAttempt = HasInProcessFallback ? MaxExecutorRetries : MaxExecutorRetries - 1;
        for (var attempt = 0; Abandoned.Count > 0 && attempt <= lastAttempt; attempt++)
        {
            // Checked at each attempt: the job may have crashed a worker in this very frame.
            if (attempt >= MaxExecutorRetries && !MayRunInHost)
            {
                break;
            }

            var executor = attempt < MaxExecutorRetries ? _executor : _fallback;
            foreach (var range in Abandoned)
            {
                storage.PrepareRetry(range);
            }

            retried += Abandoned.Count;
            _stillFailed.Clear();
            await RunAllAsync(executor, storage, jobName, Abandoned, _stillFailed, mayBlockCaller, cancellationToken);
            Abandoned.Clear();
            Abandoned.AddRange(_stillFailed);
        }

        foreach (var range in Abandoned)
        {
            if (HasInProcessFallback && NotRunInHostBecause is not null)
            {
                OffloadLog.RangeNotRunInHost(_logger, jobName, storage.Describe(range));
            }
            else
            {
                OffloadLog.RangeAbandoned(_logger, jobName, storage.Describe(range), wasRetried: lastAttempt >= 0);
            }
        }

        return (failedFirst, retried);
    }

    /// <summary>Says once, not every frame, when the job starts running in-process because no worker is up, and when it is back.</summary>
    private void NoteWhereRangesRun(IRangeExecutor first, string jobName)
    {
        var isInProcessForNoWorker = !ReferenceEquals(first, _executor);
        if (isInProcessForNoWorker == _isInProcessForNoWorker)
        {
            return;
        }

        _isInProcessForNoWorker = isInProcessForNoWorker;
        if (isInProcessForNoWorker)
        {
            OffloadLog.JobRunsInProcess(_logger, jobName);
        }
        else
        {
            OffloadLog.JobBackOnWorkers(_logger, jobName);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask RunAllAsync(
        IRangeExecutor executor,
        IOffloadStorage storage,
        string jobName,
        List<JobRange> ranges,
        List<JobRange> failed,
        bool mayBlockCaller,
        CancellationToken cancellationToken)
    {
        if (_pending.Length < ranges.Count)
        {
            _pending = new ValueTask<RangeOutcome>[ranges.Count];
        }

        for (var i = 0; i < ranges.Count; i++)
        {
#pragma warning disable CA2012 // Stored only to be awaited exactly once, after every range has started.
            var range = ranges[i];
            // The last range started may hold the caller for its reply, if nothing else waits behind the caller.
            var holdsCaller = mayBlockCaller && i == ranges.Count - 1;
            _pending[i] = RangeExecution.Start(executor, storage.SegmentOf(range.SegmentIndex), range, holdsCaller, cancellationToken);
#pragma warning restore CA2012
        }

        for (var i = 0; i < ranges.Count; i++)
        {
            var outcome = await RangeExecution.Outcome(_pending[i]);
            _pending[i] = default;
            var range = ranges[i];
            if (outcome.Succeeded)
            {
                Succeeded.Add(range);
                continue;
            }

            failed.Add(range);
            LastFailure = $"{RangeExecution.Where(outcome)}: {outcome.Failure}";
            if (outcome.CrashedOrHungItsWorker && _keptOut.TryMark(jobName, LastFailure))
            {
                OffloadLog.JobNotRunInHost(_logger, jobName, LastFailure);
            }

            if (outcome.WasNotStarted)
            {
                OffloadLog.RangeNotStarted(_logger, jobName, storage.Describe(range), outcome.Failure);
            }
            else
            {
                OffloadLog.RangeFailed(_logger, jobName, storage.Describe(range), RangeExecution.Where(outcome), outcome.Failure);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
