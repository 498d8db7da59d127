using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace SimHost.Host.Scheduling;

/// <summary>
/// Runs a <see cref="Schedule"/> one frame at a time: stages in order, levels in order, the systems of a level
/// at the same time. Failure policy: a system that throws is reported with its exception; the other systems of
/// the stage still run, except those that depend on it through explicit before/after edges (directly or
/// transitively), which are reported as skipped. Conflict edges only keep accesses apart and do not propagate
/// skips. Later stages and the stage observer always run. One frame at a time; not for concurrent use.
/// </summary>
internal sealed class ScheduleRunner
{
    private readonly SystemExecution[] _executions;
    private readonly ValueTask[] _pending;
    private readonly IStageObserver? _observer;
    private int _isRunning;

    /// <summary>Prepares to run <paramref name="schedule"/>, calling <paramref name="observer"/> after every stage.</summary>
    public ScheduleRunner(Schedule schedule, IStageObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Schedule = schedule;
        _observer = observer;
        _executions = new SystemExecution[schedule.ScheduledSystems.Length];
        for (var i = 0; i < _executions.Length; i++)
        {
            _executions[i] = new SystemExecution(schedule.ScheduledSystems[i]);
        }

        var widest = 0;
        foreach (var stage in schedule.Stages)
        {
            foreach (var level in stage.LevelSystems)
            {
                widest = Math.Max(widest, level.Length);
            }
        }

        _pending = new ValueTask[widest];
    }

    /// <summary>The schedule this runner runs.</summary>
    public Schedule Schedule { get; }

    /// <summary>True once the first frame has started; run-once stages (Startup) are not run again after it.</summary>
    public bool HasStartedFirstFrame { get; private set; }

    /// <summary>
    /// Records that the first frame ran before this runner existed (a simulation resumed from a checkpoint of a later
    /// frame), so its run-once stages are not run again: a resumed run must end as the one never interrupted.
    /// </summary>
    public void MarkFirstFrameStarted() => HasStartedFirstFrame = true;

    /// <summary>
    /// Runs one frame. Cancellation is passed to every system and checked between levels; when it is requested the
    /// frame ends with <see cref="OperationCanceledException"/> once the running level has finished, and no
    /// further stage or observer runs.
    /// </summary>
    /// <param name="timing">The frame index and clock handed to every system.</param>
    /// <param name="frameState">Opaque state for the integration layer, passed through in <see cref="SystemRunContext"/>.</param>
    /// <param name="cancellationToken">Aborts the frame between levels.</param>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<FrameReport> RunFrameAsync(
        FrameTiming timing, object? frameState = null, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _isRunning, 1) != 0)
        {
            throw new InvalidOperationException("A frame is already running on this ScheduleRunner.");
        }

        try
        {
            var start = Stopwatch.GetTimestamp();
            var context = new SystemRunContext(timing, frameState);

            // Marked before running so a frame that throws midway never runs Startup systems a second time.
            var isFirstFrame = !HasStartedFirstFrame;
            HasStartedFirstFrame = true;
            foreach (var execution in _executions)
            {
                execution.Reset();
            }

            var failed = 0;
            var skipped = 0;
            foreach (var stage in Schedule.Stages)
            {
                if (stage.RunsOnce && !isFirstFrame)
                {
                    continue;
                }

                var stageFailed = 0;
                var stageSkipped = 0;
                foreach (var level in stage.LevelSystems)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    stageSkipped += SkipBlocked(level);
                    await RunLevelAsync(level, context, cancellationToken);
                    stageFailed += CountFailed(level);
                }

                cancellationToken.ThrowIfCancellationRequested();
                failed += stageFailed;
                skipped += stageSkipped;
                if (_observer is not null)
                {
                    await _observer.OnStageCompletedAsync(
                        new StageCompletion(stage, context, stageFailed, stageSkipped), cancellationToken);
                }
            }

            var reports = new SystemReport[_executions.Length];
            for (var i = 0; i < reports.Length; i++)
            {
                reports[i] = _executions[i].ToReport();
            }

            return new FrameReport(timing.FrameIndex, reports, Stopwatch.GetElapsedTime(start), failed, skipped);
        }
        finally
        {
            Volatile.Write(ref _isRunning, 0);
        }
    }

    // Explicit predecessors are in earlier levels of the same stage, so their outcomes are final here.
    private int SkipBlocked(ScheduledSystem[] level)
    {
        var skipped = 0;
        foreach (var system in level)
        {
            foreach (var predecessor in system.ExplicitPredecessors)
            {
                var before = _executions[predecessor];
                if (before.Outcome is SystemOutcome.Failed or SystemOutcome.Skipped)
                {
                    _executions[system.Index].Skip(before.BlockedBy ?? before.System.Descriptor.Name);
                    skipped++;
                    break;
                }
            }
        }

        return skipped;
    }

    private int CountFailed(ScheduledSystem[] level)
    {
        var failed = 0;
        foreach (var system in level)
        {
            if (_executions[system.Index].Outcome == SystemOutcome.Failed)
            {
                failed++;
            }
        }

        return failed;
    }

    // The index of the level's last offloaded system to start, when the level has no in-process system to start after
    // it; otherwise -1 (an in-process system would wait behind a caller held by that system).
    private int LastOffloadedAloneInLevel(ScheduledSystem[] level)
    {
        var last = -1;
        foreach (var system in level)
        {
            if (_executions[system.Index].Outcome == SystemOutcome.Skipped)
            {
                continue;
            }

            if (system.Descriptor.ExecutionKind != ExecutionKind.Offloaded)
            {
                return -1;
            }

            last = system.Index;
        }

        return last;
    }

    // Pooled so that awaiting a level does not allocate a state machine box every frame.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask RunLevelAsync(ScheduledSystem[] level, SystemRunContext context, CancellationToken cancellationToken)
    {
        // Offloaded work is started first so the workers are busy while the in-process systems run here. All
        // in-process systems but one go to the thread pool; the last runs inline on this thread, so a level with a
        // single in-process system never hops threads.
        var pending = 0;
        SystemExecution? inline = null;
        var lastOffloaded = LastOffloadedAloneInLevel(level);
        foreach (var system in level)
        {
            var execution = _executions[system.Index];
            if (execution.Outcome == SystemOutcome.Skipped)
            {
                continue;
            }

            if (system.Descriptor.ExecutionKind == ExecutionKind.Offloaded)
            {
                // Only the last one started may hold this thread: no other system of the level waits behind it.
                var run = system.Index == lastOffloaded ? context with { MayBlockCaller = true } : context;
#pragma warning disable CA2012 // Stored only to be awaited exactly once, after the whole level has started.
                _pending[pending++] = execution.RunAsync(run, cancellationToken);
#pragma warning restore CA2012
            }
            else
            {
                inline = execution;
            }
        }

        foreach (var system in level)
        {
            var execution = _executions[system.Index];
            if (execution != inline && execution.Outcome != SystemOutcome.Skipped
                && system.Descriptor.ExecutionKind == ExecutionKind.InProcess)
            {
#pragma warning disable CA2012 // Stored only to be awaited exactly once, after the whole level has started.
                _pending[pending++] = execution.QueueOnThreadPool(context, cancellationToken);
#pragma warning restore CA2012
            }
        }

        try
        {
            if (inline is not null)
            {
                await inline.RunAsync(context, cancellationToken);
            }
        }
        finally
        {
            // Never leave the level with work still running, whatever happens: the next level may conflict with it.
            for (var i = 0; i < pending; i++)
            {
                await _pending[i];
                _pending[i] = default;
            }
        }
    }
}
