using System.Globalization;
using SimHost.Host.Offload;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>
/// Whether a worker's reported catalog has a job, and when it does not, the one line that says why and what to do:
/// its load failure for that job or for the assembly the host loaded the job from.
/// </summary>
internal static class JobAvailability
{
    private const string RebuildFix =
        "build the job assembly with its dependencies (dotnet build or dotnet publish) and pass the assembly in that output folder with --job-assembly (WorkerPoolOptions.JobAssemblies)";

    /// <summary>The first job of <paramref name="jobNames"/> the worker cannot run, as an exception; null when it can run them all.</summary>
    public static JobUnavailableException? FindMissing(
        IEnumerable<string> jobNames, uint workerId, JobCatalogMessage workerCatalog, JobCatalog hostCatalog)
    {
        foreach (var jobName in jobNames)
        {
            if (!workerCatalog.JobNames.Contains(jobName, StringComparer.Ordinal))
            {
                return new JobUnavailableException(jobName, (int)workerId, Describe(jobName, workerId, workerCatalog, hostCatalog));
            }
        }

        return null;
    }

    private static string Describe(string jobName, uint workerId, JobCatalogMessage workerCatalog, JobCatalog hostCatalog)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"job '{jobName}' cannot run on worker {workerId}: ");
        var hostPath = hostCatalog.TryGet(jobName, out var job) ? job.GetType().Assembly.Location : null;
        JobLoadFailure? byAssembly = null;
        foreach (var failure in workerCatalog.Failures)
        {
            if (string.Equals(failure.JobName, jobName, StringComparison.Ordinal))
            {
                return prefix + Explain(failure);
            }

            if (byAssembly is null && hostPath is { Length: > 0 } && string.Equals(failure.AssemblyPath, hostPath, StringComparison.Ordinal))
            {
                byAssembly = failure;
            }
        }

        if (byAssembly is not null)
        {
            return prefix + Explain(byAssembly);
        }

        var where = hostPath is { Length: > 0 } ? $" (the host loaded it from '{hostPath}')" : string.Empty;
        var failures = workerCatalog.Failures.Length == 0
            ? string.Empty
            : $"; the worker could not load: {string.Join(", ", workerCatalog.Failures.Select(f => $"'{f.AssemblyPath}' ({f.Error})"))}";
        return prefix + $"the worker has no job of that name{where}{failures}; give every worker the assembly that holds it with --job-assembly (WorkerPoolOptions.JobAssemblies)";
    }

    private static string Explain(JobLoadFailure failure) => failure.Error switch
    {
        JobLoadError.AssemblyMissing => $"assembly '{failure.AssemblyPath}' is missing: {failure.Detail}; {RebuildFix}",
        JobLoadError.AssemblyInvalid or JobLoadError.DependencyMissing or JobLoadError.TypeLoadFailed =>
            $"could not load assembly '{failure.AssemblyPath}': {failure.Detail}; {RebuildFix}",
        JobLoadError.DuplicateName => $"another job in the worker has its name ({failure.Detail}); rename one of them",
        JobLoadError.ComponentInvalid => $"it declares a component that cannot be shared ({failure.Detail}); make it an unmanaged struct",
        _ => $"could not create it from '{failure.AssemblyPath}': {failure.Detail}; fix the job so its constructor succeeds",
    };
}
