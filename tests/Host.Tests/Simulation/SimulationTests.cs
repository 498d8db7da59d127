using SimHost.Host.Ecs;
using SimHost.Host.Scheduling;
using SimHost.Host.Simulation;
using SimHost.Layout.Segments;
using SimHost.Tests.Host.Offload;

#pragma warning disable CA1861 // Expected values read best inline; tests are not a hot path.

namespace SimHost.Tests.Host.Simulation;

public sealed class SimulationTests
{
    private RunDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _directory.Dispose();

    private SimulationBuilder Builder() => new SimulationBuilder()
        .WithJobs(SimHost.Layout.Jobs.JobCatalog.FromAssemblies([typeof(HeatJob).Assembly]))
        .WithRunDirectory(_directory);

    [Test]
    public async Task InProcessAndOffloadedSystems_RunInTheirStages_AndReportFigures()
    {
        var world = new World();
        var entities = OffloadTestSupport.CreateHeated(world, 100, rate: 2);
        using var simulation = Builder()
            .AddSystem("double-rate", s => s.InStage(StageNames.PreUpdate).Writes<Rate>().Run(ctx =>
            {
                foreach (var chunk in ctx.Query.Chunks())
                {
                    foreach (ref var rate in chunk.Span<Rate>())
                    {
                        rate = new Rate(rate.Value * 2);
                    }
                }
            }))
            .AddSystem("heat", s => s.Writes<Heat>().Reads<Rate>().Offload(HeatJob.JobName))
            .Build(world);

        var stats = await simulation.RunFrameAsync(0.1, 0);

        Assert.That(stats.HasFailures, Is.False, string.Join("; ", stats.Failures.Values.Select(e => e.Message)));
        Assert.That(OffloadTestSupport.HeatOf(world, entities), Is.EqualTo(Enumerable.Range(0, 100).Select(i => i + 4).ToArray()));
        Assert.That(stats.GetSystem("heat").Offload.RowsSnapshotted, Is.EqualTo(100));
        Assert.That(stats.RowsCommitted, Is.EqualTo(100));
        Assert.That(simulation.Schedule.Systems.Single(s => s.Name == "heat").ExecutionKind, Is.EqualTo(ExecutionKind.Offloaded));
    }

    [Test]
    public async Task CommandBuffers_ArePlayedBackAtTheEndOfTheStage_EvenForAFailedSystem()
    {
        var world = new World();
        var seenInUpdate = -1;
        var seenInPostUpdate = -1;
        using var simulation = Builder()
            .AddSystem("spawn", s => s.Writes<Heat>().Run(ctx =>
            {
                ctx.Commands.Add(ctx.Commands.Create(), new Heat(1));
                throw new InvalidOperationException("spawn broke after recording");
            }))
            .AddSystem("count", s => s.Reads<Heat>().After("spawn").Run(ctx => seenInUpdate = ctx.Query.Count))
            .AddSystem("count-later", s => s.InStage(StageNames.PostUpdate).Reads<Heat>().Run(ctx => seenInPostUpdate = ctx.Query.Count))
            .Build(world);

        var stats = await simulation.RunFrameAsync(0.1, 0);

        Assert.That(stats.Failures.Keys, Is.EqualTo(new[] { "spawn" }));
        Assert.That(stats.GetSystem("count").Outcome, Is.EqualTo(SystemOutcome.Skipped));
        Assert.That(seenInPostUpdate, Is.EqualTo(1));
        Assert.That(seenInUpdate, Is.EqualTo(-1));
        Assert.That(world.EntityCount, Is.EqualTo(1));
    }

    [Test]
    public async Task ChangedFilter_SeesWritesSinceTheSystemLastRan()
    {
        var world = new World();
        var entities = OffloadTestSupport.CreateHeated(world, 10);
        var seen = new List<int>();
        using var simulation = Builder()
            .AddSystem("writer", s => s.Writes<Heat>().Run(ctx =>
            {
                if (ctx.FrameIndex == 1)
                {
                    ctx.World.Set(entities[4], new Heat(40));
                }
            }))
            .AddSystem("reader", s => s.Reads<Heat>().Query(q => q.Changed<Heat>()).Run(ctx =>
            {
                var count = 0;
                foreach (var chunk in ctx.Query.Chunks())
                {
                    count += chunk.Length;
                }

                seen.Add(count);
            }))
            .Build(world);

        for (var frame = 0; frame < 3; frame++)
        {
            await simulation.RunFrameAsync(0.1, frame * 0.1);
        }

        Assert.That(seen, Is.EqualTo(new[] { 10, 1, 0 }));
    }

    [Test]
    public async Task ChangedFilter_OfASystem_DoesNotSeeItsOwnWrites()
    {
        // A cooling system filtered on Changed<Heat> that writes Heat: it sees every row on its first run, then only
        // what another system changed, never its own writes of the frame before.
        var world = new World();
        var entities = OffloadTestSupport.CreateHeated(world, 10);
        var seen = new List<int>();
        using var simulation = Builder()
            .AddSystem("heater", s => s.Writes<Heat>().Run(ctx => ctx.World.Set(entities[(int)ctx.FrameIndex], new Heat(100))))
            .AddSystem("cooler", s => s.Writes<Heat>().Query(q => q.Changed<Heat>()).Run(ctx =>
            {
                var count = 0;
                foreach (var chunk in ctx.Query.Chunks())
                {
                    foreach (ref var heat in chunk.Span<Heat>())
                    {
                        heat = new Heat(heat.Value - 1);
                    }

                    chunk.MarkChanged<Heat>();
                    count += chunk.Length;
                }

                seen.Add(count);
            }))
            .Build(world);

        for (var frame = 0; frame < 4; frame++)
        {
            await simulation.RunFrameAsync(0.1, frame * 0.1);
        }

        Assert.That(seen, Is.EqualTo(new[] { 10, 1, 1, 1 }));
    }

    [Test]
    public async Task ChangedFilter_OnAnUndeclaredComponent_OrdersTheSystemAfterItsWriter()
    {
        // The filter reads Heat's change ticks, so the reader may not run beside the writer even though it declares
        // only Rate: registered after it, it runs after it and sees its write in the same frame.
        var world = new World();
        var entities = OffloadTestSupport.CreateHeated(world, 4);
        var seen = new List<int>();
        using var simulation = Builder()
            .AddSystem("writer", s => s.Writes<Heat>().Run(ctx => ctx.World.Set(entities[1], new Heat(7))))
            .AddSystem("reader", s => s.Reads<Rate>().Query(q => q.Changed<Heat>()).Run(ctx =>
            {
                var count = 0;
                foreach (var chunk in ctx.Query.Chunks())
                {
                    count += chunk.Length;
                }

                seen.Add(count);
            }))
            .Build(world);

        Assert.That(simulation.Schedule.Stages.Single(s => s.Levels.Count > 0).Levels, Has.Count.EqualTo(2), "writer and reader in two levels");
        await simulation.RunFrameAsync(0.1, 0);
        await simulation.RunFrameAsync(0.1, 0.1);

        Assert.That(seen, Is.EqualTo(new[] { 4, 1 }));
    }

    [Test]
    public async Task DirectStructuralChange_FromASystem_IsRefused_AndTheCommandBufferWorks()
    {
        var world = new World();
        var entities = OffloadTestSupport.CreateHeated(world, 3);
        using var simulation = Builder()
            .AddSystem("direct", s => s.Reads<Heat>().Run(ctx => ctx.World.Destroy(entities[0])))
            .AddSystem("recorded", s => s.Reads<Heat>().Run(ctx => ctx.Commands.Destroy(entities[1])))
            .Build(world);

        var stats = await simulation.RunFrameAsync(0.1, 0);

        Assert.Multiple(() =>
        {
            Assert.That(stats.Failures.Keys, Is.EqualTo(new[] { "direct" }));
            Assert.That(stats.Failures["direct"].Message, Does.Contain("CommandBuffer"));
            Assert.That(world.IsAlive(entities[0]), Is.True, "the refused change did nothing");
            Assert.That(world.IsAlive(entities[1]), Is.False, "the recorded change was played back at the stage's end");
        });
    }

    [Test]
    public void Build_RejectsAnUnknownJob_NamingTheSystemAndTheKnownJobs()
    {
        var exception = Assert.Throws<SimulationBuildException>(() => Builder()
            .AddSystem("mystery", s => s.Writes<Heat>().Offload("no.such.job"))
            .Build(new World()));

        Assert.That(exception!.Message, Does.Contain("'mystery'").And.Contain("no.such.job").And.Contain(HeatJob.JobName));
    }

    [Test]
    public void Build_RejectsAnOffloadedSystemThatDoesNotDeclareTheJobsComponents()
    {
        var exception = Assert.Throws<SimulationBuildException>(() => Builder()
            .AddSystem("heat", s => s.Writes<Heat>().Offload(HeatJob.JobName))
            .Build(new World()));

        Assert.That(exception!.Message, Does.Contain("Rate"));
    }

    [Test]
    public void Build_SurfacesScheduleErrors()
    {
        Assert.Throws<ScheduleValidationException>(() => Builder()
            .AddSystem("a", s => s.After("b").Run(_ => { }))
            .AddSystem("b", s => s.After("a").Run(_ => { }))
            .Build(new World()));
    }

    [Test]
    public void Build_WithoutACatalog_RefusesAnOffloadedJob_TheLibraryBringsNoBuiltInJobs()
    {
        var world = new World();
        OffloadTestSupport.CreateHeated(world, 10, rate: 1);
        var builder = new SimulationBuilder().WithRunDirectory(_directory).AddSystem("physics", s => s.Writes<Heat>().Offload("physics.step"));

        var error = Assert.Throws<SimulationBuildException>(() => builder.Build(world));

        Assert.That(error!.Message, Is.EqualTo("System 'physics' offloads job 'physics.step', which no loaded job assembly has (known jobs: none)."));
    }
}
