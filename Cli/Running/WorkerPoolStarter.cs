using Serilog;
using SimHost.Host.Cli;
using SimHost.Host.Offload;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Running;

/// <summary>Starts the worker pool of a <c>simhost run</c> from its settings.</summary>
internal static class WorkerPoolStarter
{
    /// <summary>Starts <see cref="RunSettings.Workers"/> workers whose pipes live in the run directory.</summary>
    /// <param name="settings">The validated settings.</param>
    /// <param name="moduleJobAssemblies">The module's job assembly paths (<c>JobAssemblyPaths()</c>), loaded by every worker before any <c>--job-assembly</c>.</param>
    /// <param name="runDirectory">The run's directory, where the pipes live.</param>
    /// <param name="logger">The run's logger.</param>
    /// <param name="cancellationToken">Cancelled on Ctrl-C during start-up.</param>
    /// <returns>The pool as the run's executor, and its status for progress and the summary.</returns>
    /// <exception cref="UsageException">The worker executable is missing or a job assembly cannot be loaded.</exception>
    public static async Task<(IRangeExecutor Executor, IWorkerStatus Status)> StartAsync(
        RunSettings settings, IReadOnlyList<string> moduleJobAssemblies, RunDirectory runDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var options = new WorkerPoolOptions
        {
            WorkerCount = settings.Workers,
            JobTimeout = settings.JobTimeout,
            JobAssemblies = [.. moduleJobAssemblies, .. settings.JobAssemblies],
            // Serilog's levels and Microsoft.Extensions.Logging's share their order (Verbose = Trace ... Fatal = Critical).
            LogLevel = (Microsoft.Extensions.Logging.LogLevel)settings.LogLevel,
            PipeDirectory = runDirectory.Path,
            RestartPolicy = new RestartPolicy
            {
                MaxRestarts = settings.MaxRestarts,
                RestartWindow = settings.RestartWindow,
                ReplacesLostWorkers = settings.OnWorkerFailure != WorkerFailurePolicy.Fail,
            },
        };
        try
        {
            var pool = await WorkerPool.StartAsync(options, HostLogging.ForLibrary(logger), cancellationToken);
            return (pool, new PoolStatus(pool));
        }
        catch (WorkerStartException exception)
        {
            throw new UsageException($"--workers {settings.Workers}: {exception.Message}", exception);
        }
        catch (JobCatalogException exception)
        {
            throw new UsageException($"--job-assembly: {exception.Message}", exception);
        }
    }

    private sealed class PoolStatus(WorkerPool pool) : IWorkerStatus
    {
        public int WorkerSlots => pool.SlotCount;

        public int WorkersAlive => pool.ParallelSlots;

        public int SlotsDown => pool.SlotsDown;

        public long Restarts => pool.RestartCount;

        public long WorkersLost => pool.LostWorkerCount;

        public bool HasUnnoticedExit => pool.HasUnnoticedExit();

        public string? DownReasons => pool.DownReasons;

        public string? LastFailure => pool.LastFailure;
    }
}
