using SimHost.Host.Ecs;
using SimHost.Host.Scheduling;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;

namespace SimHost.Tests.Host.Simulation;

// The library example of README.md, kept compiling and true by this test: if it changes, change the README too.
public struct Warmth
{
    public float Value;
}

public sealed class CoolDownJob : IJob
{
    public string Name => "demo.cool-down";

    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Warmth)];

    public void Execute(JobContext context)
    {
        var heat = context.Write<Warmth>();
        var rate = context.ParametersAs<float>();
        for (var row = 0; row < heat.Length; row++)
        {
            if (heat[row].Value > 0)
            {
                heat[row].Value = MathF.Max(0, heat[row].Value - (rate * (float)context.DeltaTime));
                context.MarkChanged<Warmth>(row);
            }
        }
    }
}

public sealed class ReadmeExampleTests
{
    [Test]
    public async Task TheReadmeExample_CoolsEveryEntityDown_AndReportsFromTheHost()
    {
        var world = new World();
        for (var i = 0; i < 10_000; i++)
        {
            world.Create(new Warmth { Value = i % 100 });
        }

        var hottest = float.MaxValue;
        using var simulation = new SimulationBuilder()
            .WithJobs(JobCatalog.FromAssemblies([typeof(CoolDownJob).Assembly]))
            .AddSystem("cool-down", s => s.Writes<Warmth>().Offload("demo.cool-down", 64f))
            .AddSystem("report", s => s.InStage(StageNames.PostUpdate).Reads<Warmth>().Run(ctx =>
            {
                var max = 0f;
                foreach (var chunk in ctx.Query.Chunks())
                {
                    foreach (var heat in chunk.Span<Warmth>())
                    {
                        max = MathF.Max(max, heat.Value);
                    }
                }

                hottest = max;
            }))
            .Build(world);

        for (var frame = 0; frame < 60; frame++)
        {
            await simulation.RunFrameAsync(1.0 / 64, frame / 64.0);
        }

        // 60 frames of 1/64 s at 64 degrees per second take 60 degrees off: only the 99s to 61s are still warm.
        Assert.That(hottest, Is.EqualTo(39f));
    }
}
