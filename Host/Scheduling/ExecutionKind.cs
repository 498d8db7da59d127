namespace SimHost.Host.Scheduling;

/// <summary>Where a system's work runs; both kinds take part in conflict detection the same way.</summary>
internal enum ExecutionKind
{
    /// <summary>The work runs on the host's thread pool (or inline when it is alone in its level).</summary>
    InProcess,

    /// <summary>The work dispatches a job to worker processes and awaits it; it is started on the calling thread.</summary>
    Offloaded,
}
