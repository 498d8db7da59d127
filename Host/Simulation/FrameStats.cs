namespace SimHost.Host.Simulation;

/// <summary>The result of one simulation frame: per-system outcome, time and offload figures, and their totals.</summary>
/// <remarks>
/// Built from the scheduler's internal <c>FrameReport</c> (outcomes and times only; the scheduler knows nothing of
/// offloading) plus each system's offload figures: the report stays the scheduler's, this is what a user reads.
/// </remarks>
public sealed class FrameStats
{
    private readonly SystemStats[] _systems;

    internal FrameStats(long frameIndex, TimeSpan elapsed, SystemStats[] systems)
    {
        FrameIndex = frameIndex;
        Elapsed = elapsed;
        _systems = systems;
        var failures = new Dictionary<string, Exception>(StringComparer.Ordinal);
        foreach (var system in systems)
        {
            RowsSnapshotted += system.Offload.RowsSnapshotted;
            RowsCommitted += system.Offload.RowsCommitted;
            RowsSkipped += system.Offload.RowsSkipped;
            RangesFailed += system.Offload.RangesFailed;
            RangesRetried += system.Offload.RangesRetried;
            if (system.Failure is not null)
            {
                failures[system.Name] = system.Failure;
            }
        }

        Failures = failures;
    }

    /// <summary>The frame's index, from zero.</summary>
    public long FrameIndex { get; }

    /// <summary>Wall time of the whole frame, command playback included.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>One entry per system, in schedule order.</summary>
    public IReadOnlyList<SystemStats> Systems => _systems;

    /// <summary>Rows all offloaded systems copied into segments.</summary>
    public long RowsSnapshotted { get; }

    /// <summary>Rows all offloaded systems wrote back.</summary>
    public long RowsCommitted { get; }

    /// <summary>Flagged rows not written back because their entity died or lost the component meanwhile.</summary>
    public long RowsSkipped { get; }

    /// <summary>Ranges that failed on their first run.</summary>
    public int RangesFailed { get; }

    /// <summary>Re-runs of failed ranges.</summary>
    public int RangesRetried { get; }

    /// <summary>The failure of every system that failed, by system name.</summary>
    public IReadOnlyDictionary<string, Exception> Failures { get; }

    /// <summary>Whether any system failed.</summary>
    public bool HasFailures => Failures.Count > 0;

    /// <summary>The entry of the system named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No system has that name.</exception>
    public SystemStats GetSystem(string name)
    {
        foreach (var system in _systems)
        {
            if (string.Equals(system.Name, name, StringComparison.Ordinal))
            {
                return system;
            }
        }

        throw new KeyNotFoundException($"No system named '{name}' is in the simulation.");
    }
}
