namespace SimHost.Host.Scheduling;

/// <summary>What happened to one system in one frame.</summary>
public enum SystemOutcome
{
    /// <summary>The system's stage did not run this frame (a run-once stage after the first frame).</summary>
    NotRun,

    /// <summary>The work completed without throwing.</summary>
    Succeeded,

    /// <summary>The work threw; the exception is in the report.</summary>
    Failed,

    /// <summary>The work was not started because a system it explicitly depends on failed or was skipped.</summary>
    Skipped,
}
