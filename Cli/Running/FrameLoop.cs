using System.Diagnostics;
using System.Globalization;
using Serilog;
using SimHost.Host.Cli;
using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Offload;
using SimHost.Host.Persistence;
using SimHost.Host.Simulation;

namespace SimHost.Host.Running;

/// <summary>
/// The frames of one <c>simhost run</c>: runs them with live progress until <c>--frames</c> or a stop, counts
/// failures, starts a checkpoint every <c>--checkpoint-every</c> frames, and makes the summary with the checksum.
/// A resumed simulation starts at its checkpoint's frame and runs to the same <c>--frames</c>.
/// </summary>
internal sealed class FrameLoop(
    RunSettings settings,
    SimulationModule module,
    World world,
    SimulationRunner simulation,
    RunConsole console,
    IWorkerStatus? status,
    ILogger logger,
    ScenarioRun.StopCause stop,
    BackgroundCheckpointWriter? writer,
    IReadOnlyDictionary<string, string> identity)
{
    // How long the last look before the summary gives the pool to count a worker whose exit it has not yet noticed (it
    // takes milliseconds: the reaping of an exited process and a thread-pool hop), and how often it looks meanwhile.
    private static readonly TimeSpan s_lossNoticeBudget = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_lossNoticePoll = TimeSpan.FromMilliseconds(10);

    // The newest frame a checkpoint exists of or was started for: a resumed run's first frame has one already.
    private long _lastCheckpointFrame = simulation.FrameCount;

    /// <summary>Runs the frames and makes the summary.</summary>
    /// <returns>How the run ended (exit code 0 done, 1 a frame failed), with its summary, for the caller to print once the workers are stopped.</returns>
    public async Task<RunEnd> RunAsync()
    {
        var frameTimes = new FrameTimeStatistics();
        var progress = new ProgressReporter(console.Error, console.IsTerminal, logger, settings.Frames);
        // Under fail a slot down ends the run after the next frame (below): it never means jobs moving in-process, so
        // the watch that would say so is left without slots to watch.
        var failsAtWorkerFailure = settings.OnWorkerFailure == WorkerFailurePolicy.Fail;
        var workersDown = new WorkersDownWatch(failsAtWorkerFailure ? null : status, logger);
        long rangesReRun = 0, rowsCommitted = 0, failedFrames = 0;
        string? failure = null;
        var isJobStranded = false;

        // Before the clock starts: the first checkpoint's copy then costs the frame thread what every later one does.
        // Not for a run that ends before its first due checkpoint: its one checkpoint is of its last frame, taken after
        // the frames, where the copy's first touch slows none of them.
        if (writer is not null && (settings.Frames == 0 || ((simulation.FrameCount / settings.CheckpointEvery) + 1) * settings.CheckpointEvery <= settings.Frames))
        {
            writer.Prepare(() => world.CaptureImage(writer.Buffers));
        }

        var started = Stopwatch.GetTimestamp();
        long frame = simulation.FrameCount;
        var firstFrame = frame;
        if (frame > 0)
        {
            logger.Information("Resumed at frame {Frame} from {Checkpoint}", frame, settings.ResumeDirectory);
        }

        workersDown.Check(1);
        try
        {
            while ((settings.Frames == 0 || frame < settings.Frames) && !stop.Token.IsCancellationRequested)
            {
                // The frame itself is not cancelled: Ctrl-C lets it finish so the world stays whole. The physics
                // system runs TicksPerFrame ticks of dt each, so a frame advances TicksPerFrame × dt.
                var stats = await simulation.RunFrameAsync(settings.DtSeconds, frame * settings.TicksPerFrame * settings.DtSeconds, CancellationToken.None);
                frame++;
                writer?.FrameEnded();

                // The frame thread only copies the world for a checkpoint (timed as part of the frame); the writing
                // happens beside the next frames, a share of it after each.
                frameTimes.Add(stats.Elapsed + await CheckpointAsync(frame));
                rangesReRun += stats.RangesRetried;
                rowsCommitted += stats.RowsCommitted;
                if (stats.HasFailures)
                {
                    ThrowIfTheWorldDoesNotFit(stats);
                    failedFrames++;
                    foreach (var (system, exception) in stats.Failures)
                    {
                        logger.Error(exception, "System {System} failed in frame {Frame}: {Reason}", system, frame, exception.Message);
                        failure ??= string.Create(CultureInfo.InvariantCulture, $"in frame {frame}: {ScenarioRun.OneLine(exception.Message)}");
                    }
                }

                if (failsAtWorkerFailure && WorkerFailureIn(stats, status) is { } workerFailure)
                {
                    // fail: a worker failure ends the run; nothing may quietly run in-process instead.
                    logger.Error("Frame {Frame}: {Failure}; --on-worker-failure is fail", frame, workerFailure);
                    failedFrames += stats.HasFailures ? 0 : 1;
                    failure = string.Create(CultureInfo.InvariantCulture, $"in frame {frame}: {ScenarioRun.OneLine(workerFailure)} (--on-worker-failure fail)");
                    break;
                }

                if (stats.HasFailures && failsAtWorkerFailure)
                {
                    break;
                }

                if (stats.HasFailures && StrandedJob(stats, status) is { } stranded)
                {
                    // Every later frame would fail the same way, for as long as the run goes: it ends here instead.
                    logger.Error("Frame {Frame}: {Failure}", frame, stranded);
                    failure = string.Create(CultureInfo.InvariantCulture, $"in frame {frame}: {stranded}");
                    isJobStranded = true;
                    break;
                }

                workersDown.Check(frame + 1);
                progress.Report(frame, frameTimes, rangesReRun, status);
            }
        }
        catch when (writer is not null)
        {
            // The run fails with its own error (a world that no longer fits, a checkpoint that failed to write): the
            // write in flight is waited for and the store's spare deleted, so the folder keeps the complete checkpoints only.
            await writer.AbandonAsync();
            throw;
        }
        finally
        {
            // A write paced by frames that no longer come would otherwise wait forever.
            writer?.StopPacing();
        }

        if (writer is not null)
        {
            try
            {
                if (failedFrames == 0 && frame > _lastCheckpointFrame)
                {
                    // A run leaves the frame it ended at to resume from, due or not: one whose --frames is no multiple of
                    // the interval, and one stopped (Ctrl-C, SIGTERM: a service stopped or redeployed), so no finished
                    // frame is run twice. Not a run with a failed frame: it ends with exit 1, not as one to continue.
                    logger.Information("Ended after frame {Frame}; writing its checkpoint before exiting (a second signal ends simhost at once)", frame);
                    await CheckpointAsync(frame, force: true);
                }
            }
            catch
            {
                // The checkpoint in flight failed: the run fails with it, and the store's spare goes as after any failure.
                await writer.AbandonAsync();
                throw;
            }

            await writer.FinishAsync();
            logger.Information("{Written} checkpoints written, {Skipped} skipped while the one before was being written", writer.Written, writer.Skipped);
        }

        var wall = Stopwatch.GetElapsedTime(started);
        progress.Finish();
        var checksum = WorldChecksum.Format(module.Checksum(world));
        if (failsAtWorkerFailure && failedFrames == 0 && await LateWorkerFailureAsync(status) is { } lateFailure)
        {
            // fail promises exit 1 for a worker failure noticed before the summary: one in the last frame, or while
            // the last checkpoint was written or the checksum taken, after the frames' own checks; after a stop too
            // (workers ignore the signals, so a stop itself loses none).
            logger.Error("After frame {Frame}: {Failure}; --on-worker-failure is fail", frame, lateFailure);
            failedFrames = 1;
            failure = string.Create(CultureInfo.InvariantCulture, $"after frame {frame}: {ScenarioRun.OneLine(lateFailure)} (--on-worker-failure fail)");
        }

        var endedAtWorkerFailure = failsAtWorkerFailure && failedFrames > 0;
        var stoppedBy = stop.Token.IsCancellationRequested ? stop.Describe()
            : endedAtWorkerFailure ? "a failure (--on-worker-failure fail)"
            : isJobStranded ? "a job no worker is left to run"
            : RunSummary.FramesDone;
        var summary = new RunSummary(
            frame,
            frame - firstFrame,
            world.EntityCount,
            settings.Workers,
            wall,
            frameTimes,
            status?.Restarts ?? 0,
            rangesReRun,
            rowsCommitted,
            failedFrames,
            endedAtWorkerFailure ? WorkersDownAtTheEnd(status, frame) : workersDown.Current,
            stoppedBy,
            checksum)
        {
            Checkpoints = writer is null ? null : (writer.Written, writer.Skipped),
            IsEndedByWorkerFailure = endedAtWorkerFailure,
        };
        if (failedFrames > 0)
        {
            var more = failedFrames > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({failedFrames} frames failed; the first in the log)") : string.Empty;
            return new RunEnd(ExitCodes.RunFailed, summary, $"the run failed {failure}{more}{ScenarioRun.SeeTheLog(settings)}");
        }

        return new RunEnd(ExitCodes.Success, summary, Failure: null);
    }

    /// <summary>
    /// Starts the checkpoint due after <paramref name="frame"/> frames, if any (or, <paramref name="force"/>d, one
    /// whether due or not), and returns the time the copy took.
    /// </summary>
    private async ValueTask<TimeSpan> CheckpointAsync(long frame, bool force = false)
    {
        if (writer is null || (!force && frame % settings.CheckpointEvery != 0))
        {
            return TimeSpan.Zero;
        }

        // The last frame's checkpoint (at --frames, or forced as a run ends) is the one a run leaves to resume or
        // inspect: it waits for the write in flight (which the run's end waits for anyway) instead of being skipped
        // behind it. The run's end then writes it unpaced (FinishAsync).
        if (force || (settings.Frames != 0 && frame == settings.Frames))
        {
            await writer.DrainAsync();
        }

        var started = Stopwatch.GetTimestamp();
        if (writer.TryStart(frame, () => new CheckpointContent(world.CaptureImage(writer.Buffers), simulation.CaptureImage(frame * settings.TicksPerFrame * settings.DtSeconds), identity)))
        {
            _lastCheckpointFrame = frame;
        }

        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// What a worker did wrong this frame, or null: a range that failed on a worker, a worker lost (busy or idle,
    /// replaced or not), or a slot down for good (its jobs would otherwise run in-process without a word).
    /// </summary>
    private static string? WorkerFailureIn(FrameStats stats, IWorkerStatus? status)
    {
        if (status is null)
        {
            return stats.RangesFailed > 0 ? string.Create(CultureInfo.InvariantCulture, $"{stats.RangesFailed} job ranges failed") : null;
        }

        if (stats.RangesFailed > 0 || status.WorkersLost > 0 || status.Restarts > 0 || status.SlotsDown > 0)
        {
            return status.LastFailure ?? (stats.RangesFailed > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{stats.RangesFailed} job ranges failed on workers")
                : "a worker was lost");
        }

        return null;
    }

    /// <summary>
    /// Slots down when a worker failure ended a run under fail: every worker lost is a slot that does not come back
    /// (no lost worker is replaced), though the slot is marked down only once its worker is reaped.
    /// </summary>
    private static (int Down, long SinceFrame)? WorkersDownAtTheEnd(IWorkerStatus? status, long frame)
    {
        var down = status is null ? 0 : (int)Math.Max(status.SlotsDown, Math.Min(status.WorkersLost, status.WorkerSlots));
        return down > 0 ? (down, frame) : null;
    }

    /// <summary>
    /// A worker failure the frames did not see: one the pool noticed after the last frame's check, or a worker whose
    /// process has exited or connection closed though the pool has not counted it yet (it then gets up to
    /// <see cref="s_lossNoticeBudget"/> to, so the failure can be named).
    /// </summary>
    private static async Task<string?> LateWorkerFailureAsync(IWorkerStatus? status)
    {
        if (status is null)
        {
            return null;
        }

        if (status.WorkersLost == 0 && status.HasUnnoticedExit)
        {
            var waiting = Stopwatch.StartNew();
            while (status.WorkersLost == 0 && waiting.Elapsed < s_lossNoticeBudget)
            {
                await Task.Delay(s_lossNoticePoll);
            }
        }

        if (status.WorkersLost > 0 || status.Restarts > 0 || status.SlotsDown > 0)
        {
            return status.LastFailure ?? "a worker was lost";
        }

        return status.HasUnnoticedExit ? "a worker exited" : null;
    }

    /// <summary>
    /// A job that failed its frame because it is kept out of the host (it crashed or hung a worker) while every worker
    /// slot is down for good: no process is left that may run it, so every later frame would fail the same way.
    /// </summary>
    /// <returns>What to say of it, or null when no failure of the frame is such a job's.</returns>
    private static string? StrandedJob(FrameStats stats, IWorkerStatus? status)
    {
        if (status is null || status.WorkerSlots == 0 || status.SlotsDown < status.WorkerSlots)
        {
            return null;
        }

        return Causes(stats).OfType<OffloadFailedException>().FirstOrDefault(static e => e.JobKeptOutOfHost is not null) is { JobKeptOutOfHost: { } job }
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"job '{job}' crashed or hung the workers it ran on and is never run in the host, and every worker slot is down ({status.DownReasons ?? "restart intensity reached"}): no process is left that may run it, so the run stops (raise --max-restarts or --restart-window to keep replacing workers, or fix the job)")
            : null;
    }

    /// <summary>Every exception of the frame's failures, each with its inner exceptions after it.</summary>
    private static IEnumerable<Exception> Causes(FrameStats stats)
    {
        foreach (var (_, exception) in stats.Failures)
        {
            for (var cause = exception; cause is not null; cause = cause.InnerException)
            {
                yield return cause;
            }
        }
    }

    /// <summary>
    /// Segments are sized at the first snapshot, so a world too big for <c>--max-shared-memory</c> or
    /// <c>--segment-size</c> shows up as the first frame's failure: it is the user's flag to fix, not a crash.
    /// </summary>
    private static void ThrowIfTheWorldDoesNotFit(FrameStats stats)
    {
        if (Causes(stats).OfType<SharedMemoryLimitException>().FirstOrDefault() is { } limit)
        {
            throw new UsageException(limit.Message, limit);
        }
    }
}
