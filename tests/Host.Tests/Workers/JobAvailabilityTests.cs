using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;
using SimHost.Tests.JobsWithDependency;

namespace SimHost.Tests.Host.Workers;

/// <summary>
/// A simulation whose offloaded job a worker cannot run is refused when it is built, with one message naming the
/// job, the worker, the worker's reason and the fix; never run with every range failing and falling back.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class JobAvailabilityTests : WorkerPoolFixture
{
    [Test]
    public async Task Build_RefusesAJobTheWorkersCannotLoad_NamingTheJobTheWorkerTheReasonAndTheFix()
    {
        // The host carries System.IO.Hashing, simhost-worker does not: only the workers miss it in this copy.
        using var copy = DependencyJobsFolder.CopyWithout(DependencyJobNames.HostOnlyDependencyFileName);
        var pool = await Harness.StartPoolAsync(workers: 1, configure: o => o with { JobAssemblies = [copy.AssemblyPath] });
        var builder = Builder(pool, copy.AssemblyPath).AddSystem("jitter", s => s.Writes<Position>().Offload(DependencyJobNames.HashingJitter));

        var refusal = Assert.Throws<JobUnavailableException>(() => builder.Build(SeededWorld()));

        Assert.Multiple(() =>
        {
            Assert.That(refusal!.JobName, Is.EqualTo(DependencyJobNames.HashingJitter));
            Assert.That(refusal.WorkerId, Is.Zero);
            Assert.That(refusal.Message, Does.StartWith($"job '{DependencyJobNames.HashingJitter}' cannot run on worker 0: could not load assembly '{copy.AssemblyPath}'"));
            Assert.That(refusal.Message, Does.Contain("System.IO.Hashing").And.Contain("--job-assembly"));
            Assert.That(refusal.Message, Does.Not.Contain('\n'));
            Assert.That(pool.ParallelSlots, Is.EqualTo(1), "the worker itself is healthy and stays up");
            Assert.That(pool.RestartCount, Is.Zero);
        });
    }

    [Test]
    public async Task Build_AcceptsASimulationThatDoesNotUseTheJobTheWorkersLack()
    {
        using var copy = DependencyJobsFolder.CopyWithout(DependencyJobNames.HostOnlyDependencyFileName);
        var pool = await Harness.StartPoolAsync(workers: 1, configure: o => o with { JobAssemblies = [typeof(PhysicsStepJob).Assembly.Location, copy.AssemblyPath] });
        var builder = Builder(pool, copy.AssemblyPath)
            .AddSystem("step", s => s.Writes<Position>().Writes<Velocity>().Offload(PhysicsStepJob.JobName, PhysicsParameters.Default.ToBytes()));

        using var simulation = builder.Build(SeededWorld());

        Assert.That(pool.ParallelSlots, Is.EqualTo(1));
    }

    [Test]
    public async Task Build_RefusesAJobTheHostHasButNoWorkerWasGiven()
    {
        var pool = await Harness.StartPoolAsync(workers: 1);
        var builder = Builder(pool, DependencyJobsFolder.BuiltAssemblyPath)
            .AddSystem("drift", s => s.Writes<Position>().Reads<Velocity>().Offload(DependencyJobNames.MathNetDrift));

        var refusal = Assert.Throws<JobUnavailableException>(() => builder.Build(SeededWorld()));

        Assert.That(refusal!.Message, Does.StartWith($"job '{DependencyJobNames.MathNetDrift}' cannot run on worker 0: the worker has no job of that name")
            .And.Contain("--job-assembly"));
    }

    [Test]
    public async Task AReplacementThatCannotLoadARequiredJob_IsAFailedStart_AndTheSlotGoesDown()
    {
        using var copy = DependencyJobsFolder.CopyWithout();
        var pool = await Harness.StartPoolAsync(workers: 1, configure: o => o with
        {
            JobAssemblies = [copy.AssemblyPath],
            RestartPolicy = new RestartPolicy { MaxConsecutiveStartFailures = 2, InitialBackoff = TimeSpan.Zero },
            PingInterval = Timeout.InfiniteTimeSpan,
        });
        using var simulation = Builder(pool, copy.AssemblyPath)
            .AddSystem("jitter", s => s.Writes<Position>().Offload(DependencyJobNames.HashingJitter))
            .Build(SeededWorld());

        File.Delete(Path.Combine(copy.Folder, DependencyJobNames.HostOnlyDependencyFileName));
        using (var worker = System.Diagnostics.Process.GetProcessById(pool.WorkerProcessIds.Single()))
        {
            worker.Kill();
        }

        await WorkerTestEnvironment.WaitUntilAsync(() => Harness.Sink.Lines.Any(l => l.Contains("stays down", StringComparison.Ordinal)), "the slot giving up");
        var refusals = Harness.Sink.Lines.Where(l => l.Contains("cannot run the simulation's jobs", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(pool.ParallelSlots, Is.Zero);
            Assert.That(refusals, Is.Not.Empty);
            Assert.That(refusals, Has.All.Contains($"job '{DependencyJobNames.HashingJitter}' cannot run on worker 0").And.All.Contains("System.IO.Hashing"));
        });
    }

    private SimulationBuilder Builder(WorkerPool pool, string jobAssembly) => new SimulationBuilder()
        .WithJobs(JobCatalog.Load([typeof(PhysicsStepJob).Assembly], [jobAssembly]))
        .WithExecutor(pool)
        .WithRunDirectory(Harness.RunDirectory)
        .WithLogger(Harness.Logger);

    private static World SeededWorld()
    {
        var world = new World();
        ParticlesModule.Seed(world, 256, seed: 1, PhysicsParameters.Default);
        return world;
    }
}
