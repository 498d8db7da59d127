namespace SimHost.Tests.Host.Contract;

/// <summary>Where the contract suite runs offloaded jobs.</summary>
public enum ContractExecutor
{
    /// <summary>No executor: every range runs in the host, as <c>--workers 0</c>.</summary>
    InProcess,

    /// <summary>One real worker process.</summary>
    OneWorker,

    /// <summary>Two real worker processes.</summary>
    TwoWorkers,
}
