using System.Diagnostics;
using System.Runtime.CompilerServices;
using SimHost.Host.Diagnostics;
using SimHost.Host.Ecs;
using SimHost.Host.Scheduling;
using SimHost.Layout.Segments;

namespace SimHost.Host.Simulation;

/// <summary>
/// A world and its scheduled systems, built by <see cref="SimulationBuilder"/>. Each <see cref="RunFrameAsync"/>
/// runs every stage: in-process systems in the host, offloaded systems through snapshot, job ranges and commit;
/// command buffers are played back at the end of each stage. One frame at a time.
/// </summary>
public sealed partial class SimulationRunner : IDisposable
{
    private readonly ScheduleRunner _runner;
    private readonly SystemState[] _systemsInScheduleOrder;
    private readonly IDisposable[] _segments;
    private readonly RunDirectory? _ownedRunDirectory;
    private bool _isDisposed;

    // The simulated time after the last frame (its start plus one tick), recorded in checkpoints for the reader.
    private double _nextTimeSeconds;

    internal SimulationRunner(World world, Schedule schedule, SystemState[] systemsInScheduleOrder, IReadOnlyDictionary<string, SystemState[]> systemsByStage, IDisposable[] segments, RunDirectory? ownedRunDirectory)
    {
        World = world;
        Schedule = schedule;
        _systemsInScheduleOrder = systemsInScheduleOrder;
        _segments = segments;
        _ownedRunDirectory = ownedRunDirectory;
        _runner = new ScheduleRunner(schedule, new StagePlayback(world, systemsByStage));
    }

    /// <summary>The world the systems run on.</summary>
    public World World { get; }

    /// <summary>The ordered stages and levels of the systems.</summary>
    internal Schedule Schedule { get; }

    /// <summary>How many frames have run; the index of the next frame.</summary>
    public long FrameCount { get; private set; }

    /// <summary>Runs one frame that advances the simulation by <paramref name="deltaSeconds"/> from <paramref name="timeSeconds"/>.</summary>
    /// <param name="deltaSeconds">Simulated seconds of one tick; an offloaded system with <c>Ticks(k)</c> advances k of them.</param>
    /// <param name="timeSeconds">Simulated seconds at the start of the frame.</param>
    /// <param name="cancellationToken">
    /// Observed once, before the frame starts: when it is cancelled, nothing runs and the frame is not counted. A frame
    /// that has started always runs to its end, in every mode (it is never cut between levels, which would leave it half
    /// applied, and never stops a worker mid-job): to stop, stop asking for frames. A hung job is the job timeout's.
    /// </param>
    /// <returns>Per-system outcome, time and offload figures.</returns>
    /// <exception cref="ObjectDisposedException">The simulation was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the frame started.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<FrameStats> RunFrameAsync(double deltaSeconds, double timeSeconds, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var start = Stopwatch.GetTimestamp();
        foreach (var system in _systemsInScheduleOrder)
        {
            system.ResetFrame();
        }

        var frameIndex = FrameCount++;
        _nextTimeSeconds = timeSeconds + deltaSeconds;
        var report = await _runner.RunFrameAsync(new FrameTiming(frameIndex, deltaSeconds, timeSeconds), this, CancellationToken.None);
        var stats = new SystemStats[report.Systems.Count];
        for (var i = 0; i < stats.Length; i++)
        {
            var entry = report.Systems[i];
            var system = _systemsInScheduleOrder[i];
            stats[i] = new SystemStats(entry.Name, entry.Stage, entry.Outcome, entry.Elapsed, system.Offload, entry.Exception ?? system.PlaybackFailure);
        }

        var frame = new FrameStats(frameIndex, Stopwatch.GetElapsedTime(start), stats);
        SimHostInstruments.FrameEnded(frame, World);
        return frame;
    }

    /// <summary>Deletes the offloaded systems' segments (shared storage moves its columns back into managed arrays first), and the run directory if the simulation created it.</summary>
    public void Dispose()
    {
        if (_isDisposed)
        {
            return;
        }

        _isDisposed = true;
        foreach (var segments in _segments)
        {
            segments.Dispose();
        }

        _ownedRunDirectory?.Dispose();
    }
}
