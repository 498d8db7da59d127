using SimHostModule.Components;
using SimHostModule.Jobs;
using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Simulation;

namespace SimHostModule;

/// <summary>
/// Bodies in a box: each frame they move and bounce off the walls (<see cref="MoveJob"/>, offloaded to the workers),
/// then a spring pulls every body toward the centre (in-process). The answer is the same for any worker count.
/// </summary>
public sealed class SimHostModuleModule : SimulationModule
{
    /// <summary>The side of the box in metres.</summary>
    public const float BoxSize = 100f;

    private const float Spring = 0.05f;

    private static readonly ModuleParameter[] s_parameters =
    [
        ModuleParameter.WholeNumber("bodies", 10_000, 1, 10_000_000, "bodies in the box at the start"),
    ];

    /// <inheritdoc/>
    public override string Name => "simhostmodule";

    /// <inheritdoc/>
    public override string Description => "bodies bouncing in a box, pulled toward its centre";

    /// <inheritdoc/>
    public override IReadOnlyList<ModuleParameter> Parameters => s_parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<ComponentType> ChecksumComponents => [ComponentType.Of<Position>(), ComponentType.Of<Velocity>()];

    /// <summary>Seeds the bodies from the run's seed, so a seed gives the same world on every machine.</summary>
    public override void Seed(World world, ModuleContext context)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(context);
        world.Register<Position>();
        world.Register<Velocity>();
        var random = new SeedSequence(context.Seed);
        var bodies = context.Parameters.GetInt32("bodies");
        for (var i = 0; i < bodies; i++)
        {
            var position = new Position(BoxSize * random.NextSingle(), BoxSize * random.NextSingle());
            var velocity = new Velocity((random.NextSingle() - 0.5f) * 20f, (random.NextSingle() - 0.5f) * 20f);
            world.Create(position, velocity);
        }
    }

    /// <inheritdoc/>
    public override void AddSystems(SimulationBuilder builder, ModuleContext context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);
        builder
            .AddSystem("move", system => system.Writes<Position>().Writes<Velocity>().Offload(MoveJob.JobName, new MoveParameters(BoxSize)).Ticks(context.TicksPerFrame))
            .AddSystem("pull", system => system.Reads<Position>().Writes<Velocity>().After("move").Run(Pull));
    }

    /// <summary>In-process: a spring toward the box's centre changes every body's velocity.</summary>
    private static void Pull(SystemContext run)
    {
        var dt = (float)run.DeltaSeconds;
        const float Centre = BoxSize / 2;
        foreach (var chunk in run.Query.Chunks())
        {
            var positions = chunk.Span<Position>();
            var velocities = chunk.Span<Velocity>();
            for (var i = 0; i < positions.Length; i++)
            {
                velocities[i].X += (Centre - positions[i].X) * Spring * dt;
                velocities[i].Y += (Centre - positions[i].Y) * Spring * dt;
            }

            chunk.MarkChanged<Velocity>();
        }
    }
}
