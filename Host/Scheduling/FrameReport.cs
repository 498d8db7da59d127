namespace SimHost.Host.Scheduling;

/// <summary>The result of one frame: every system's outcome and time, in schedule order, and the frame's total time.</summary>
/// <remarks>
/// Two types on purpose, not a twin: this is the scheduler's report, which knows nothing of storage or workers;
/// <see cref="Simulation.FrameStats"/> is the public result built from it, adding each system's offload figures.
/// </remarks>
internal sealed class FrameReport
{
    internal FrameReport(long frameIndex, SystemReport[] systems, TimeSpan elapsed, int failedCount, int skippedCount)
    {
        FrameIndex = frameIndex;
        Systems = systems;
        Elapsed = elapsed;
        FailedCount = failedCount;
        SkippedCount = skippedCount;
    }

    /// <summary>The frame's sequence number, as given in its <see cref="FrameTiming"/>.</summary>
    public long FrameIndex { get; }

    /// <summary>One entry per system of the schedule, in <see cref="Schedule.Systems"/> order.</summary>
    public IReadOnlyList<SystemReport> Systems { get; }

    /// <summary>Wall time of the whole frame, stage observers included.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>How many systems threw.</summary>
    public int FailedCount { get; }

    /// <summary>How many systems were not started because a system they depend on failed.</summary>
    public int SkippedCount { get; }

    /// <summary>True when at least one system threw.</summary>
    public bool HasFailures => FailedCount > 0;

    /// <summary>Returns the entry of the system named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No system of that name is in the schedule.</exception>
    public SystemReport GetSystem(string name)
    {
        foreach (var system in Systems)
        {
            if (string.Equals(system.Name, name, StringComparison.Ordinal))
            {
                return system;
            }
        }

        throw new KeyNotFoundException($"No system named '{name}' is in the schedule.");
    }
}
