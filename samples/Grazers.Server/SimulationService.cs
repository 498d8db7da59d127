using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;

namespace Grazers.Server;

/// <summary>
/// Runs the grazers module for the life of the host: starts the worker pool with the module's job assemblies, builds
/// the simulation, ticks it at a fixed rate, and at the end logs and prints the checksum. Either way it stops the host;
/// a failure is logged and makes the exit code 1. The frames, the pool and its workers report to the library's
/// <c>SimHost</c> meter themselves: nothing here records a metric.
/// </summary>
internal sealed partial class SimulationService(
    ServerOptions settings, ModuleContext context, IHostApplicationLifetime lifetime, ILogger<SimulationService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM while the workers were starting: no frame ran, nothing to report.
        }
        catch (Exception exception)
        {
            // The host would log an exception escaping here and stop with exit code 0: say that the run failed.
            LogFailed(exception);
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var module = new GrazersModule();

        // Every worker loads the module's own dll (its jobs) by path, with its packages (MathNet.Numerics); the pool logs
        // through this host's logging like everything else.
        await using var pool = await WorkerPool.StartAsync(
            new WorkerPoolOptions { WorkerCount = settings.Workers, JobAssemblies = module.JobAssemblyPaths() }, logger, stoppingToken);

        var world = new World();
        using var simulation = module.Build(new SimulationBuilder().WithExecutor(pool).WithLogger(logger), world, context);
        LogStarted(module.Name, world.EntityCount, settings.Workers, settings.Hz);

        var dt = 1.0 / settings.Hz;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(dt));
        long frame = 0;
        try
        {
            while ((settings.Frames == 0 || frame < settings.Frames) && await timer.WaitForNextTickAsync(stoppingToken))
            {
                // A frame is never cancelled halfway: the world stays whole, and Ctrl-C stops before the next one.
                var stats = await simulation.RunFrameAsync(dt, frame * dt, CancellationToken.None);
                frame++;
                foreach (var (system, exception) in stats.Failures)
                {
                    LogSystemFailed(system, frame, exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM: report the world as it is after the last whole frame.
        }

        var checksum = WorldChecksum.Format(module.Checksum(world));
        LogFinished(frame, world.EntityCount, pool.RestartCount, checksum);
        Console.Out.WriteLine($"checksum: {checksum}");
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The simulation failed")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Running module {Module}: {Entities} entities, {Workers} workers, {Hz} frames per second")]
    private partial void LogStarted(string module, int entities, int workers, int hz);

    [LoggerMessage(Level = LogLevel.Warning, Message = "System {System} failed in frame {Frame}: {Reason}")]
    private partial void LogSystemFailed(string system, long frame, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped after {Frames} frames: {Entities} entities, {Restarts} worker restarts, checksum {Checksum}")]
    private partial void LogFinished(long frames, int entities, long restarts, string checksum);
}
