using SimHost.Host.Cli;
using SimHost.Host.Modules;
using SimHost.Host.Offload;
using SimHost.Layout.Jobs;

namespace SimHost.Host.Running;

/// <summary>
/// The flag that brought a job into the run, so an error about the job names what the user typed: <c>--job-assembly</c>
/// for a job of an assembly given there, <c>--module</c> for one of the module's own assemblies, and <c>--workers</c>
/// for any other (a built-in job, the particles'), which only a worker can fail to run.
/// </summary>
internal static class JobSource
{
    /// <summary>The flag for job <paramref name="jobName"/> of <paramref name="catalog"/> in a run of <paramref name="module"/>.</summary>
    public static string FlagFor(JobCatalog catalog, string jobName, RunSettings settings, SimulationModule module)
    {
        var assembly = catalog.TryGet(jobName, out var job) ? job.GetType().Assembly : null;
        if (assembly is not null && IsFromJobAssemblyFlag(assembly.Location, settings))
        {
            return "--job-assembly";
        }

        return settings.ModulePath is not null && assembly is not null && module.JobAssemblies.Contains(assembly)
            ? "--module"
            : $"--workers {settings.Workers}";
    }

    /// <summary>The usage error for a job the workers cannot run, led by the flag that brought it in.</summary>
    public static UsageException Unavailable(JobCatalog catalog, JobUnavailableException exception, RunSettings settings, SimulationModule module) =>
        new($"{FlagFor(catalog, exception.JobName, settings, module)}: {exception.Message}", exception);

    private static bool IsFromJobAssemblyFlag(string location, RunSettings settings) =>
        location.Length > 0 && settings.JobAssemblies.Any(path => string.Equals(Path.GetFullPath(path), location, StringComparison.Ordinal));
}
