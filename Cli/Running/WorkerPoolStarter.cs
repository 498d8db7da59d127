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
    /// <returns>The pool as the run's executor, and its status for progress and the summary.</returns>
    /// <exception cref="UsageException">The worker executable is missing or a job assembly cannot be loaded.</exception>
    public static async Task<(IRangeExecutor Executor, IWorkerStatus Status)> StartAsync(
        RunSettings settings, JobCatalog catalog, RunDirectory runDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var options = new WorkerPoolOptions
        {
            WorkerCount = settings.Workers,
            JobTimeout = settings.JobTimeout,
            JobAssemblies = [.. new SimHost.Physics.ParticlesModule().JobAssemblyPaths(), .. settings.JobAssemblies],
            // Serilog's levels and Microsoft.Extensions.Logging's share their order (Verbose = Trace ... Fatal = Critical).
            LogLevel = (Microsoft.Extensions.Logging.LogLevel)settings.LogLevel,
            PipeDirectory = runDirectory.Path,
            RestartPolicy = new RestartPolicy { MaxRestarts = settings.MaxRestarts, RestartWindow = settings.RestartWindow },
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

        public string? DownReasons => pool.DownReasons;

        public string? LastFailure => pool.LastFailure;
    }
}
