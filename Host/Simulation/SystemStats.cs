using SimHost.Host.Offload;
using SimHost.Host.Scheduling;

namespace SimHost.Host.Simulation;

/// <summary>How one system fared in one frame.</summary>
/// <param name="Name">The system's name.</param>
/// <param name="Stage">The system's stage.</param>
/// <param name="Outcome">Whether it ran, succeeded, failed or was skipped.</param>
/// <param name="Elapsed">Wall time of its work (zero when it did not run).</param>
/// <param name="Offload">The offload figures; all zero for an in-process system.</param>
/// <param name="Failure">What went wrong: the work's exception, or its command playback's.</param>
public readonly record struct SystemStats(string Name, string Stage, SystemOutcome Outcome, TimeSpan Elapsed, OffloadResult Offload, Exception? Failure)
{
    /// <summary>Whether the work or its command playback failed.</summary>
    public bool HasFailed => Failure is not null;
}
