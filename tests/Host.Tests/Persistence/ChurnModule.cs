using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Simulation;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// A small module whose every frame creates and destroys entities through command buffers and whose second system
/// sees only changed rows: the state a checkpoint must carry beyond component bytes.
/// </summary>
internal sealed class ChurnModule : SimulationModule
{
    public override string Name => "churn";

    public override IReadOnlyList<ComponentType> ChecksumComponents => [ComponentType.Of<Energy>(), ComponentType.Of<Seen>()];

    public override void Seed(World world, ModuleContext context)
    {
        world.Register(new Seen(7));
        var state = context.Seed;
        for (var i = 0; i < context.Entities; i++)
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            world.Create(new Energy((int)(state >> 40) % 100));
        }
    }

    public override void AddSystems(SimulationBuilder builder, ModuleContext context) => builder
        .AddSystem("burn", s => s.Writes<Energy>().Run(run =>
        {
            foreach (var chunk in run.Query.Chunks())
            {
                var entities = chunk.Entities;
                var energies = chunk.Span<Energy>();
                for (var i = 0; i < energies.Length; i++)
                {
                    if (i % 5 == (int)(run.FrameIndex % 5))
                    {
                        energies[i] = new Energy(energies[i].Value - 7);
                        run.World.MarkChanged<Energy>(entities[i]);
                    }

                    if (energies[i].Value < 0)
                    {
                        run.Commands.Destroy(entities[i]);
                        var child = run.Commands.Create();
                        run.Commands.Add(child, new Energy(50 + i));
                    }
                }
            }
        }))
        .AddSystem("notice", s => s.Reads<Energy>().Query(q => q.Changed<Energy>()).After("burn").Run(run =>
        {
            foreach (var chunk in run.Query.Chunks())
            {
                foreach (var entity in chunk.Entities)
                {
                    run.Commands.Add<Seen>(entity);
                }
            }
        }));

    public readonly record struct Energy(int Value);

    public readonly record struct Seen(int Count);
}
