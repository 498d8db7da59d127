namespace SimHostNamespace.Tests;

using global::SimHost.Host.Ecs;
using global::SimHost.Host.Modules;
using global::SimHost.Host.Simulation;
using global::SimHost.Host.Workers;

/// <summary>The module gives the same answer in-process and on worker processes.</summary>
public sealed class ModuleClassNameTests
{
    private const int Frames = 30;

    [Test]
    public async Task Module_GivesTheSameChecksum_InProcessAndOnTwoWorkers()
    {
        var inProcess = await RunAsync(workers: 0);
        var onWorkers = await RunAsync(workers: 2);

        await TestContext.Out.WriteLineAsync($"checksum: {inProcess}");
        Assert.That(onWorkers, Is.EqualTo(inProcess));
    }

    private static async Task<string> RunAsync(int workers)
    {
        var module = new ModuleClassName();
        var context = ModuleContext.For(module, seed: 1, entities: 5000);
        var builder = new SimulationBuilder();
        WorkerPool? pool = null;
        try
        {
            if (workers > 0)
            {
                pool = await WorkerPool.StartAsync(new WorkerPoolOptions { WorkerCount = workers, JobAssemblies = module.JobAssemblyPaths() });
                Assert.That(pool.ParallelSlots, Is.EqualTo(workers), "every worker started");
                builder.WithExecutor(pool);
            }

            var world = new World();
            using var simulation = module.Build(builder, world, context);
            for (var frame = 0; frame < Frames; frame++)
            {
                var stats = await simulation.RunFrameAsync(1.0 / 30, frame / 30.0);
                Assert.That(stats.HasFailures, Is.False, $"frame {frame} failed");
            }

            return WorldChecksum.Format(module.Checksum(world));
        }
        finally
        {
            if (pool is not null)
            {
                await pool.DisposeAsync();
            }
        }
    }
}
