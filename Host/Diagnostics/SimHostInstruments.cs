using System.Diagnostics.Metrics;
using System.Reflection;
using SimHost.Host.Ecs;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;

namespace SimHost.Host.Diagnostics;

/// <summary>
/// The instruments of the <see cref="SimHostMeter"/> meter, one process-wide set as .NET's own libraries have: the
/// frame loop, the worker pools and the checkpoint writer record into them. Recording with no listener costs a
/// branch, and no measurement allocates. Durations are in seconds, as OpenTelemetry's conventions and .NET's built-in
/// meters have them.
/// </summary>
internal static class SimHostInstruments
{
    private static readonly Meter s_meter = new(SimHostMeter.Name, typeof(SimHostInstruments).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
    private static readonly Lock s_poolsGate = new();

    // Each running pool, with its slots down so far (no longer counted in simhost.workers.down when the pool goes).
    private static readonly Dictionary<WorkerPool, int> s_pools = [];

    /// <summary>Bucket boundaries for frame times: a 60 Hz frame is 0.0167 s, and a frame over a second is an outage.</summary>
    private static readonly double[] s_frameBuckets = [0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.033, 0.066, 0.1, 0.25, 0.5, 1, 2.5];

    /// <summary>Bucket boundaries for checkpoint writes, which take from milliseconds to minutes.</summary>
    private static readonly double[] s_checkpointBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary><c>simhost.frame.duration</c>: wall time of each frame (<c>FrameStats.Elapsed</c>).</summary>
    public static Histogram<double> FrameDuration { get; } = s_meter.CreateHistogram(
        "simhost.frame.duration", "s", "Wall time of one frame, command playback included.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = s_frameBuckets });

    /// <summary><c>simhost.frames</c>: frames run.</summary>
    public static Counter<long> Frames { get; } = s_meter.CreateCounter<long>("simhost.frames", "{frame}", "Frames run.");

    /// <summary><c>simhost.rows.committed</c>: rows offloaded systems wrote back.</summary>
    public static Counter<long> RowsCommitted { get; } = s_meter.CreateCounter<long>("simhost.rows.committed", "{row}", "Rows offloaded systems wrote back to the world.");

    /// <summary><c>simhost.ranges.failed</c>: ranges that failed their first run (a worker crashed, hung or its job threw).</summary>
    public static Counter<long> RangesFailed { get; } = s_meter.CreateCounter<long>("simhost.ranges.failed", "{range}", "Job ranges that failed their first run.");

    /// <summary><c>simhost.ranges.retried</c>: re-runs of failed ranges, on a fresh worker or in-process.</summary>
    public static Counter<long> RangesRetried { get; } = s_meter.CreateCounter<long>("simhost.ranges.retried", "{range}", "Re-runs of failed job ranges.");

    /// <summary><c>simhost.systems.failed</c>: systems that failed in a frame (their frame's work was not committed).</summary>
    public static Counter<long> SystemsFailed { get; } = s_meter.CreateCounter<long>("simhost.systems.failed", "{system}", "Systems that failed in a frame.");

    /// <summary><c>simhost.entities</c>: live entities at the end of the latest frame.</summary>
    public static Gauge<long> Entities { get; } = s_meter.CreateGauge<long>("simhost.entities", "{entity}", "Live entities at the end of the latest frame.");

    /// <summary><c>simhost.worker.restarts</c>: worker processes started to replace one that failed.</summary>
    public static Counter<long> WorkerRestarts { get; } = s_meter.CreateCounter<long>("simhost.worker.restarts", "{restart}", "Worker processes started to replace a failed one.");

    /// <summary><c>simhost.workers.lost</c>: connected worker processes lost (crashed, killed, hung, broke the protocol).</summary>
    public static Counter<long> WorkersLost { get; } = s_meter.CreateCounter<long>("simhost.workers.lost", "{worker}", "Connected worker processes lost: crashed, killed, hung past the job timeout or broke the protocol.");

    /// <summary><c>simhost.checkpoint.duration</c>: time to write one checkpoint, from its copy to its manifest.</summary>
    public static Histogram<double> CheckpointDuration { get; } = s_meter.CreateHistogram(
        "simhost.checkpoint.duration", "s", "Time to write one checkpoint, beside the frames.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = s_checkpointBuckets });

    /// <summary><c>simhost.checkpoints.written</c>: checkpoints written completely.</summary>
    public static Counter<long> CheckpointsWritten { get; } = s_meter.CreateCounter<long>("simhost.checkpoints.written", "{checkpoint}", "Checkpoints written completely.");

    /// <summary><c>simhost.checkpoints.skipped</c>: checkpoints skipped because the previous one was still being written.</summary>
    public static Counter<long> CheckpointsSkipped { get; } = s_meter.CreateCounter<long>("simhost.checkpoints.skipped", "{checkpoint}", "Checkpoints skipped while the previous one was still being written.");

    static SimHostInstruments()
    {
        s_meter.CreateObservableUpDownCounter("simhost.workers.connected", ConnectedWorkers, "{worker}", "Worker processes connected and usable, over every running pool.");

        // Observed, not added to: a listener that starts after a slot went down (dotnet-counters attached to a running
        // process) would otherwise see the pool's disposal take it below zero.
        s_meter.CreateObservableUpDownCounter("simhost.workers.down", DownSlots, "{worker}", "Worker slots down for good, over every running pool.");
    }

    /// <summary>Counts <paramref name="pool"/>'s workers in <c>simhost.workers.connected</c> and <c>.down</c> until <see cref="Forget"/>.</summary>
    public static void Track(WorkerPool pool)
    {
        lock (s_poolsGate)
        {
            s_pools.TryAdd(pool, 0);
        }
    }

    /// <summary>One of <paramref name="pool"/>'s slots went down for good (ignored once the pool is forgotten).</summary>
    public static void SlotDown(WorkerPool pool)
    {
        lock (s_poolsGate)
        {
            if (s_pools.TryGetValue(pool, out var down))
            {
                s_pools[pool] = down + 1;
            }
        }
    }

    /// <summary>Stops counting <paramref name="pool"/>'s workers: its connected workers and its slots down no longer count.</summary>
    public static void Forget(WorkerPool pool)
    {
        lock (s_poolsGate)
        {
            s_pools.Remove(pool);
        }
    }

    /// <summary>Records <paramref name="frame"/>, a finished frame of <paramref name="world"/>.</summary>
    public static void FrameEnded(FrameStats frame, World world)
    {
        FrameDuration.Record(frame.Elapsed.TotalSeconds);
        Frames.Add(1);
        if (frame.RowsCommitted != 0)
        {
            RowsCommitted.Add(frame.RowsCommitted);
        }

        if (frame.RangesFailed != 0)
        {
            RangesFailed.Add(frame.RangesFailed);
        }

        if (frame.RangesRetried != 0)
        {
            RangesRetried.Add(frame.RangesRetried);
        }

        if (frame.Failures.Count != 0)
        {
            SystemsFailed.Add(frame.Failures.Count);
        }

        if (Entities.Enabled)
        {
            Entities.Record(world.EntityCount);
        }
    }

    private static int DownSlots()
    {
        lock (s_poolsGate)
        {
            var down = 0;
            foreach (var slots in s_pools.Values)
            {
                down += slots;
            }

            return down;
        }
    }

    // long, as every other count of the meter: a listener that handles long measurements sees them all.
    private static long ConnectedWorkers()
    {
        lock (s_poolsGate)
        {
            long connected = 0;
            foreach (var pool in s_pools.Keys)
            {
                connected += pool.ParallelSlots;
            }

            return connected;
        }
    }
}
