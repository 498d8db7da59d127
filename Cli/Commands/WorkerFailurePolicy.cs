namespace SimHost.Host.Cli;

/// <summary>What the host does with a job range whose worker crashed, hung or broke the protocol.</summary>
internal enum WorkerFailurePolicy
{
    /// <summary>Run the range again on a fresh worker; when the slot's restart budget is spent, run it in-process.</summary>
    Retry,

    /// <summary>Run the range again in-process at once, and replace the worker in the background.</summary>
    Fallback,

    /// <summary>Fail the frame and end the run with exit code 1 (for tests of the failure itself).</summary>
    Fail,
}
