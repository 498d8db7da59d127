namespace SimHost.Tests.Host.Contract;

/// <summary>Where the contract suite runs offloaded jobs.</summary>
public enum ContractExecutor
{
    /// <summary>No executor: every range runs in the host, as <c>--workers 0</c>, on one thread.</summary>
    InProcess,

    /// <summary>No executor, two host threads: the ranges of a job run in the host at the same time.</summary>
    InProcessTwoThreads,

    /// <summary>One real worker process.</summary>
    OneWorker,

    /// <summary>Two real worker processes.</summary>
    TwoWorkers,
}
