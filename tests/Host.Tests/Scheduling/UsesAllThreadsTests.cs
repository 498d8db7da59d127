using SimHost.Host.Ecs;
using SimHost.Host.Scheduling;
using SimHost.Host.Simulation;
using static SimHost.Tests.Host.Scheduling.TestSystems;

#pragma warning disable CA1861 // Expected values read best inline; tests are not a hot path.

namespace SimHost.Tests.Host.Scheduling;

/// <summary>A system whose work uses every host thread (a parallel query) runs beside no other in-process system.</summary>
public sealed class UsesAllThreadsTests
{
    [Test]
    public void ASystemUsingAllThreads_RunsInALevelOfItsOwn_AmongInProcessSystems()
    {
        var schedule = new ScheduleBuilder()
            .Add(Noop("Render").Reads<Health>())
            .Add(Noop("Integrate").Writes<Position>().UsesAllThreads())
            .Add(Noop("Audio").Reads<Velocity>())
            .Build();

        Assert.That(LevelNames(schedule), Is.EqualTo(new[] { new[] { "Render" }, new[] { "Integrate" }, new[] { "Audio" } }));
    }

    [Test]
    public void ASystemUsingAllThreads_StillRunsBesideAnOffloadedSystem()
    {
        var schedule = new ScheduleBuilder()
            .Add(Noop("Physics").Writes<Velocity>().Offloaded())
            .Add(Noop("Integrate").Writes<Position>().UsesAllThreads())
            .Build();

        Assert.That(LevelNames(schedule), Is.EqualTo(new[] { new[] { "Physics", "Integrate" } }));
    }

    [Test]
    public void SystemBuilderUsesAllThreads_ReachesTheSchedule()
    {
        var world = new World();
        world.Create(new Health(1));
        var order = new List<string>();
        using var simulation = new SimulationBuilder()
            .WithThreads(2)
            .AddSystem("a", s => s.Reads<Health>().Run(_ => order.Add("a")))
            .AddSystem("parallel", s => s.Reads<Health>().UsesAllThreads().Run(_ => order.Add("parallel")))
            .AddSystem("b", s => s.Reads<Health>().Run(_ => order.Add("b")))
            .Build(world);

        simulation.RunFrameAsync(0.1, 0).AsTask().GetAwaiter().GetResult();

        Assert.That(order, Is.EqualTo(new[] { "a", "parallel", "b" }), "readers alone would share one level");
    }

    [Test]
    public void UsesAllThreads_OnAnOffloadedSystem_IsRefusedAtBuild()
    {
        var builder = new SimulationBuilder()
            .WithJobs(SimHost.Tests.Host.Offload.OffloadTestSupport.Catalog)
            .AddSystem("heat", s => s.Writes<SimHost.Tests.Host.Offload.Heat>().Reads<SimHost.Tests.Host.Offload.Rate>().Offload(SimHost.Tests.Host.Offload.HeatJob.JobName).UsesAllThreads());

        Assert.That(() => builder.Build(new World()), Throws.InstanceOf<SimulationBuildException>().With.Message.Contains("UsesAllThreads"));
    }

    [Test]
    public void WithThreads_GivesTheWorldItsOwnThreads()
    {
        var world = new World();
        using var simulation = new SimulationBuilder().WithThreads(3).Build(world);

        Assert.That(world.Threads.ThreadCount, Is.EqualTo(3));
        Assert.That(() => new SimulationBuilder().WithThreads(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
