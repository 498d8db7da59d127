using System.Collections.Concurrent;

namespace SimHost.Host.Offload;

/// <summary>
/// The jobs of one simulation that crashed or hung a worker (<see cref="Layout.Jobs.RangeOutcome.CrashedOrHungItsWorker"/>),
/// with how: shared by every system's retry loop, so that a job two systems offload is kept out of the host by both
/// once either has seen it take a worker down.
/// </summary>
internal sealed class JobsKeptOutOfHost
{
    private readonly ConcurrentDictionary<string, string> _reasons = new(StringComparer.Ordinal);

    /// <summary>Marks <paramref name="jobName"/>; the first reason stays.</summary>
    /// <returns>True the first time the job is marked.</returns>
    public bool TryMark(string jobName, string reason) => _reasons.TryAdd(jobName, reason);

    /// <summary>How the job took a worker down, or null while it has not.</summary>
    public string? ReasonFor(string jobName) => _reasons.TryGetValue(jobName, out var reason) ? reason : null;
}
