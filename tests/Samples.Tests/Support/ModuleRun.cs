using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;
using SimHost.Layout.Segments;

namespace SimHost.Tests.Samples.Support;

/// <summary>What a run of a module through the library ended with.</summary>
internal sealed record ModuleRunResult(string Checksum, int EntityCount, long RangesFailed, IReadOnlyList<int> WorkerProcessIds);

/// <summary>
/// Runs a module through the library exactly as a host program does: a worker pool started with the module's job
/// assembly paths, <see cref="SimulationModule.Build"/>, frames of a fixed dt. With workers, nothing may quietly run
/// in-process: no retries and no in-process fallback, so a range a worker cannot run fails the test.
/// </summary>
internal static class ModuleRun
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(120);

    public static async Task<ModuleRunResult> RunAsync(
        SimulationModule module, ModuleContext context, int workers, StorageMode storage, int frames, double dt, Action<IReadOnlyList<int>>? whileRunning = null)
    {
        using var runDirectory = RunDirectory.Create();
        WorkerPool? pool = null;
        try
        {
            var builder = new SimulationBuilder().WithRunDirectory(runDirectory).WithStorage(storage).WithLogger(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            if (workers > 0)
            {
                var options = new WorkerPoolOptions
                {
                    WorkerCount = workers,
                    JobAssemblies = module.JobAssemblyPaths(),
                    PipeDirectory = runDirectory.Path,
                    JobTimeout = TimeSpan.FromSeconds(60),
                    PingTimeout = TimeSpan.FromSeconds(20),
                };
                pool = await WorkerPool.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).WaitAsync(s_hangGuard);
                Assert.That(pool.ParallelSlots, Is.EqualTo(workers), "every worker started");
                builder.WithExecutor(pool).WithExecutorRetries(0).WithInProcessFallback(false);
            }

            var world = new World();
            using var simulation = module.Build(builder, world, context);
            long rangesFailed = 0;
            for (var frame = 0; frame < frames; frame++)
            {
                var stats = await simulation.RunFrameAsync(dt, frame * dt).AsTask().WaitAsync(s_hangGuard);
                Assert.That(stats.HasFailures, Is.False, () => $"frame {frame}: {string.Join("; ", stats.Failures.Select(f => $"{f.Key}: {f.Value.Message}"))}");
                rangesFailed += stats.RangesFailed;
            }

            var workerIds = pool is null ? [] : pool.WorkerProcessIds.ToList();
            whileRunning?.Invoke(workerIds);
            return new ModuleRunResult(WorldChecksum.Format(module.Checksum(world)), world.EntityCount, rangesFailed, workerIds);
        }
        finally
        {
            if (pool is not null)
            {
                await pool.DisposeAsync().AsTask().WaitAsync(s_hangGuard);
            }

            ProcessCensus.Kill(ProcessCensus.FindWorkersOfThisProcess());
        }
    }
}
