namespace SimHost.Host.Scheduling;

/// <summary>How one system fared in one frame.</summary>
/// <param name="Name">The system's name.</param>
/// <param name="Stage">The system's stage.</param>
/// <param name="Outcome">Whether it ran, succeeded, failed or was skipped.</param>
/// <param name="Elapsed">Wall time of the work, zero when it did not run.</param>
/// <param name="Exception">What the work threw when <paramref name="Outcome"/> is <see cref="SystemOutcome.Failed"/>.</param>
/// <param name="BlockedBy">
/// When <paramref name="Outcome"/> is <see cref="SystemOutcome.Skipped"/>, the name of the failed system whose
/// failure the skip traces back to.
/// </param>
internal readonly record struct SystemReport(
    string Name,
    string Stage,
    SystemOutcome Outcome,
    TimeSpan Elapsed,
    Exception? Exception,
    string? BlockedBy);
