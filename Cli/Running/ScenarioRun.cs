using System.Runtime.CompilerServices;
using Serilog;
using SimHost.Host.Cli;
using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Offload;
using SimHost.Host.Persistence;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Running;

/// <summary>
/// <c>simhost run</c>: sets up logging, the run directory, the jobs and where they run, seeds the module (<c>--module</c>, else particles),
/// runs its frames with live progress, and prints the summary ending in <c>checksum: HEX</c>. Ctrl-C, SIGTERM or SIGHUP
/// finishes the current frame, shuts the workers down, removes the run directory and still prints the summary, which
/// names what stopped the run. A failure is one <c>simhost:</c> line on stderr; its stack trace goes only to the log
/// file (<c>--log-file</c>), never to the terminal.
/// </summary>
internal static class ScenarioRun
{
    /// <summary>Starts the worker processes for a run; supplied by the worker supervisor.</summary>
    /// <param name="settings">The validated settings.</param>
    /// <param name="moduleJobAssemblies">The module's job assembly paths, which every worker loads.</param>
    /// <param name="runDirectory">The run's directory.</param>
    /// <param name="logger">The run's logger.</param>
    /// <param name="cancellationToken">Cancelled on Ctrl-C during start-up.</param>
    /// <returns>The executor (disposed at the end of the run) and its status.</returns>
    public delegate Task<(IRangeExecutor Executor, IWorkerStatus Status)> WorkerPoolFactory(
        RunSettings settings, IReadOnlyList<string> moduleJobAssemblies, RunDirectory runDirectory, ILogger logger, CancellationToken cancellationToken);

    /// <summary>Runs the scenario as <paramref name="settings"/> say.</summary>
    /// <param name="settings">The validated flags.</param>
    /// <param name="console">Where the summary, progress and errors go.</param>
    /// <param name="startWorkers">Starts worker processes when <see cref="RunSettings.Workers"/> is above 0.</param>
    /// <param name="cancellationToken">Cancelled on Ctrl-C, SIGTERM or SIGHUP: the current frame completes, then the run ends cleanly.</param>
    /// <param name="stopReason">Names what cancelled <paramref name="cancellationToken"/> for the summary (<c>SIGTERM</c>); Ctrl-C when null.</param>
    /// <returns>The exit code: 0 done, 1 the run failed, 2 the command line cannot be run.</returns>
    public static async Task<int> ExecuteAsync(
        RunSettings settings, RunConsole console, WorkerPoolFactory? startWorkers, CancellationToken cancellationToken, Func<string?>? stopReason = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);
        var stop = new StopCause(stopReason, cancellationToken);
        Serilog.Core.Logger logger;
        try
        {
            logger = HostLogging.Create(settings.LogLevel, settings.LogFile);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await console.Error.WriteLineAsync($"simhost: --log-file '{settings.LogFile}' cannot be written ({exception.Message}); give a writable path.");
            return ExitCodes.UsageError;
        }

        // The module, once loaded: a failure in its own code is then named as such.
        var loaded = new StrongBox<SimulationModule?>();
        await using (logger)
        {
            try
            {
                return await RunAsync(settings, console, startWorkers, logger, stop, loaded);
            }
            catch (UsageException exception)
            {
                await console.Error.WriteLineAsync($"simhost: {exception.Message}");
                return ExitCodes.UsageError;
            }
            catch (DamagedCheckpointException exception)
            {
                // The file and the rule are the whole story: no stack trace to point at.
                await console.Error.WriteLineAsync($"simhost: {OneLine(exception.Message)}");
                return ExitCodes.RunFailed;
            }
            catch (SharedMemoryLimitException exception)
            {
                // Seeding, loading or mid-run (an archetype grown past what the run directory or the limits hold): the
                // user's to fix, exit 2.
                logger.ForContext(HostLogging.FileOnlyProperty, true).Fatal(exception, "The world does not fit: {Reason}", exception.Message);
                await console.Error.WriteLineAsync($"simhost: {OneLine(exception.Message)}");
                return ExitCodes.UsageError;
            }
            catch (CheckpointException exception) when (exception.Error == CheckpointError.Unwritable && settings.CheckpointDirectory is { } directory)
            {
                logger.ForContext(HostLogging.FileOnlyProperty, true).Fatal(exception, "A checkpoint cannot be written: {Reason}", exception.Message);
                await console.Error.WriteLineAsync($"simhost: {UnwritableCheckpoint.Describe(exception, directory)}");
                return ExitCodes.RunFailed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync($"simhost: stopped by {stop.Describe()} before the first frame.");
                return ExitCodes.Success;
            }
            catch (Exception exception)
            {
                // The stack trace goes to the log file only, and the console shows the failure once: as the line below.
                logger.ForContext(HostLogging.FileOnlyProperty, true).Fatal(exception, "The run failed: {Reason}", exception.Message);
                await console.Error.WriteLineAsync($"simhost: the run failed: {OneLine(exception.Message)}{UserCodeThrower.Describe(exception, settings.ModulePath is null ? null : loaded.Value)}{SeeTheLog(settings)}");
                return ExitCodes.RunFailed;
            }
        }
    }

    private static async Task<int> RunAsync(RunSettings settings, RunConsole console, WorkerPoolFactory? startWorkers, ILogger logger, StopCause stop, StrongBox<SimulationModule?> loaded)
    {
        // The module and its parameters first: a bad --module or --param is one line, before anything is created.
        var module = ModuleSelection.Load(settings.ModulePath);
        loaded.Value = module;
        var context = ModuleSelection.Context(module, settings.Seed, settings.Entities, settings.Parameters, settings.TicksPerFrame);

        // The checkpoint folder is this run's before anything is read from it or started: a second run on it is refused
        // here, not after its workers started or its checkpoint loaded.
        using var checkpointLock = RunCheckpoints.LockDirectory(settings);

        // What a resume continues from (its manifest only) is checked before any worker starts, so a wrong --resume is
        // the run's one line, not one after the workers' start-up lines.
        var identity = RunCheckpoints.Identity(module, context, settings);
        var resume = settings.ResumeDirectory is { } resumeDirectory ? RunCheckpoints.ReadForResume(resumeDirectory, identity, settings.Frames) : null;
        var root = settings.RunDirectoryRoot ?? RunDirectory.DefaultRoot;
        RemoveStaleRunDirectories(root, logger);
        using var runDirectory = CreateRunDirectory(root);
        using var removedOnForcedExit = new ForcedExitCleanup(runDirectory);
        logger.Information("Run directory {RunDirectory}", runDirectory.Path);

        var catalog = LoadJobs(module, settings);
        ModuleSystemsCheck.Ensure(module, context, catalog, runDirectory);
        RunEnd end;
        IRangeExecutor? pool = null;
        IWorkerStatus? status = null;

        // From the workers' start until the world is seeded or loaded no frame runs, and the seeding (a module's own code)
        // cannot be interrupted: a signal meanwhile ends simhost at once, as documented, whichever step it lands in.
        // Ended where the world is ready (RunFramesAsync), or here should the set-up fail.
        using var setUp = StopSignal.EndAtOnceWhile();
        try
        {
            if (settings.Workers > 0)
            {
                if (startWorkers is null)
                {
                    throw new UsageException("--workers above 0 needs the worker supervisor, which this build does not include; use --workers 0.");
                }

                (pool, status) = await startWorkers(settings, JobAssemblyPaths(module), runDirectory, logger, stop.Token);

                // Every job of every --job-assembly, not only the scenario's: the flag asks every worker to load the
                // assembly, so a worker that cannot is a misconfiguration to fix before the first frame.
                EnsureJobsAvailable(pool, catalog, settings, module);
            }

            end = await RunFramesAsync(settings, module, context, (identity, resume), console, catalog, runDirectory, pool, status, logger, stop, setUp);
        }
        finally
        {
            // A set-up that failed is over too: a signal while the pool shuts down stops as after the first frame.
            setUp.Dispose();
            switch (pool)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        // The outcome in the log file too (the console has the summary below): a service whose JSON log is collected, or
        // a run whose terminal hung up, still tells why it stopped and what it ended with.
        logger.ForContext(HostLogging.FileOnlyProperty, true).Information(
            "The run ended ({StoppedBy}) after {Frames} frames with {Entities} entities, checksum {Checksum}, exit code {ExitCode}{Failure}",
            end.Summary.StoppedBy,
            end.Summary.Frames,
            end.Summary.Entities,
            end.Summary.Checksum,
            end.ExitCode,
            end.Failure is { } failure ? $": {failure}" : string.Empty);

        // Last, once the workers have stopped and said so: the summary ends the output.
        await end.WriteToAsync(console);
        return end.ExitCode;
    }

    private static async Task<RunEnd> RunFramesAsync(
        RunSettings settings,
        SimulationModule module,
        ModuleContext context,
        (IReadOnlyDictionary<string, string> Identity, ResumePoint? Point) resume,
        RunConsole console,
        JobCatalog catalog,
        RunDirectory runDirectory,
        IRangeExecutor? pool,
        IWorkerStatus? status,
        ILogger logger,
        StopCause stop,
        IDisposable setUp)
    {
        var builder = new SimulationBuilder()
            .WithJobs(catalog)
            .WithRunDirectory(runDirectory)
            .WithSegmentLimits(new SegmentLimits(settings.SegmentSizeBytes, settings.MaxSharedMemoryBytes))
            .WithLogger(HostLogging.ForLibrary(logger))
            .WithStorage(settings.Storage)
            .WithThreads(settings.Threads)
            .WithHostJobTimeout(settings.JobTimeout);
        if (pool is not null)
        {
            builder = builder.WithExecutor(pool);
        }

        // retry: once more on a fresh worker, then in-process; fallback: in-process at once; fail: no re-run.
        builder = settings.OnWorkerFailure switch
        {
            WorkerFailurePolicy.Fallback => builder.WithExecutorRetries(0),
            WorkerFailurePolicy.Fail => builder.WithExecutorRetries(0).WithInProcessFallback(false),
            _ => builder,
        };

        var (identity, point) = resume;
        var world = new World();
        SimulationRunner simulation;
        try
        {
            // Seeding or loading a large world is long and runs no frame: a signal meanwhile still ends simhost at once (the
            // set-up scope began before the workers started; it ends once the world is ready).
            using var ready = setUp;
            if (point is null)
            {
                logger.Information("Seeding {Module} with {Entities} entities", module.Name, context.Entities);
            }
            else
            {
                logger.Information("Loading the world of {Checkpoint}", point.Checkpoint);
                if (settings.CheckpointEvery == 0)
                {
                    // Resuming to see a run's end is legitimate; a service that forgot the flag must not think itself durable.
                    logger.Warning(
                        "This resumed run writes no checkpoints (no --checkpoint-every): a later --resume starts from {Checkpoint} again",
                        point.Checkpoint);
                }
            }

            simulation = point is null ? module.Build(builder, world, context) : RunCheckpoints.BuildResumed(module, builder, world, context, point);
        }
        catch (JobUnavailableException exception)
        {
            throw JobSource.Unavailable(catalog, exception, settings, module);
        }

        using (simulation)
        {
            logger.Information(
                "Simulating {Module} ({Entities} entities) for {Frames} frames of {Ticks} tick(s) (seed {Seed}, dt {Dt} s) {Where}",
                module.Name,
                world.EntityCount,
                settings.Frames == 0 ? "unbounded" : settings.Frames,
                settings.TicksPerFrame,
                settings.Seed,
                settings.DtSeconds,
                settings.Workers switch { 0 => "in-process", 1 => "on 1 worker process", _ => $"on {settings.Workers} worker processes" });

            var writer = RunCheckpoints.Writer(settings, HostLogging.ForLibrary(logger));
            var run = new FrameLoop(settings, module, world, simulation, console, status, logger, stop, writer, identity);
            return await run.RunAsync();
        }
    }

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ");

    internal static string SeeTheLog(RunSettings settings) => settings.LogFile is { } file
        ? $" (details and the stack trace in {file})"
        : " (run with --log-file PATH for the stack trace)";

    /// <summary>The run's cancellation and the name of what cancelled it.</summary>
    internal sealed class StopCause(Func<string?>? reason, CancellationToken token)
    {
        public CancellationToken Token => token;

        public string Describe() => reason?.Invoke() ?? "Ctrl-C (SIGINT)";
    }

    /// <summary>A job the workers cannot run is the job assembly's build to fix: exit 2, one line naming the job and the flag that brought it.</summary>
    private static void EnsureJobsAvailable(IRangeExecutor pool, JobCatalog catalog, RunSettings settings, SimulationModule module)
    {
        try
        {
            pool.EnsureJobsAvailable([.. catalog.Names]);
        }
        catch (JobUnavailableException exception)
        {
            throw JobSource.Unavailable(catalog, exception, settings, module);
        }
    }

    private static void RemoveStaleRunDirectories(string root, ILogger logger)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        try
        {
            foreach (var removed in RunDirectory.RemoveStale(root))
            {
                logger.Information("Removed {RunDirectory}, left by a host that is no longer running", removed);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.Warning("Could not look for stale run directories in {Root}: {Reason}", root, exception.Message);
        }
    }

    private static RunDirectory CreateRunDirectory(string root)
    {
        try
        {
            return RunDirectory.Create(root);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"--run-dir '{root}' is not a writable directory ({exception.Message}); give a folder you can write on tmpfs, e.g. --run-dir /dev/shm.", exception);
        }
    }

    private static IReadOnlyList<string> JobAssemblyPaths(SimulationModule module)
    {
        try
        {
            return module.JobAssemblyPaths();
        }
        catch (InvalidOperationException exception)
        {
            throw new UsageException($"--module: {exception.Message}", exception);
        }
    }

    private static JobCatalog LoadJobs(SimulationModule module, RunSettings settings)
    {
        try
        {
            return JobCatalog.Load([.. module.JobAssemblies], settings.JobAssemblies);
        }
        catch (JobCatalogException exception)
        {
            throw new UsageException($"--job-assembly: {exception.Message}", exception);
        }
    }
}
