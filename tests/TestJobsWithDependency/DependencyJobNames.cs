namespace SimHost.Tests.JobsWithDependency;

/// <summary>The names of the jobs in this assembly; shared as source with the tests, which load the assembly by path.</summary>
public static class DependencyJobNames
{
    /// <summary>The job that calls MathNet.Numerics, a package neither simhost nor simhost-worker carries.</summary>
    public const string MathNetDrift = "deps.mathnet-drift";

    /// <summary>The job that calls System.IO.Hashing, a package simhost carries and simhost-worker does not.</summary>
    public const string HashingJitter = "deps.hashing-jitter";

    /// <summary>The file name of this assembly.</summary>
    public const string AssemblyFileName = "SimHost.Tests.JobsWithDependency.dll";

    /// <summary>The dependency only the host carries; a copy of this assembly without it loads in the host, not in a worker.</summary>
    public const string HostOnlyDependencyFileName = "System.IO.Hashing.dll";
}
