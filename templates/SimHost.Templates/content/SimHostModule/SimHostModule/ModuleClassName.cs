namespace SimHostNamespace;

// The usings are inside the namespace and the outside ones start at global::, so a project named like a type or a
// namespace it uses (World, Position, Acme.SimHost) still compiles.
using global::SimHost.Host.Ecs;
using global::SimHost.Host.Modules;
using global::SimHost.Host.Simulation;
using Components;
using Jobs;

/// <summary>
/// Bodies in a box: each frame they move and bounce off the walls (<see cref="MoveJob"/>, offloaded to the workers),
/// then a spring pulls every body toward the centre (in-process). The answer is the same for any worker count.
/// </summary>
public sealed class ModuleClassName : SimulationModule
{
    private const float Spring = 0.05f;

    private static readonly ModuleParameter[] s_parameters =
    [
        ModuleParameter.Number("box", 100, 1, 100_000, "side of the square box in metres"),
    ];

    /// <inheritdoc/>
    public override string Name => "simhostmodule";

    /// <inheritdoc/>
    public override string Description => "bodies bouncing in a box, pulled toward its centre";

    /// <summary>Bodies in the box at the start of a run that does not say (<c>--entities</c>): one entity is one body.</summary>
    public override int DefaultEntities => 10_000;

    /// <inheritdoc/>
    public override IReadOnlyList<ModuleParameter> Parameters => s_parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<ComponentType> ChecksumComponents => [ComponentType.Of<Position>(), ComponentType.Of<Velocity>()];

    /// <summary>
    /// Seeds <see cref="ModuleContext.Entities"/> bodies (<c>--entities</c>, else <see cref="DefaultEntities"/>) from the
    /// run's seed, so a seed gives the same world on every machine.
    /// </summary>
    public override void Seed(World world, ModuleContext context)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(context);
        world.Register<Position>();
        world.Register<Velocity>();
        var random = new SeedSequence(context.Seed);
        var box = BoxSize(context);
        for (var i = 0; i < context.Entities; i++)
        {
            var position = new Position(box * random.NextSingle(), box * random.NextSingle());
            var velocity = new Velocity((random.NextSingle() - 0.5f) * 20f, (random.NextSingle() - 0.5f) * 20f);
            world.Create(position, velocity);
        }
    }

    /// <inheritdoc/>
    public override void AddSystems(SimulationBuilder builder, ModuleContext context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);
        var box = BoxSize(context);
        builder
            .AddSystem("move", system => system.Writes<Position>().Writes<Velocity>().Offload(MoveJob.JobName, new MoveParameters(box)).Ticks(context.TicksPerFrame))
            .AddSystem("pull", system => system.Reads<Position>().Writes<Velocity>().After("move").Run(run => Pull(run, centre: box / 2)));
    }

    /// <summary>The side of the box in metres: the <c>box</c> parameter (<c>--param box=VALUE</c>).</summary>
    private static float BoxSize(ModuleContext context) => (float)context.Parameters.GetDouble("box");

    /// <summary>In-process: a spring toward the box's centre changes every body's velocity.</summary>
    private static void Pull(SystemContext run, float centre)
    {
        var dt = (float)run.DeltaSeconds;
        foreach (var chunk in run.Query.Chunks())
        {
            var positions = chunk.Span<Position>();
            var velocities = chunk.Span<Velocity>();
            for (var i = 0; i < positions.Length; i++)
            {
                velocities[i].X += (centre - positions[i].X) * Spring * dt;
                velocities[i].Y += (centre - positions[i].Y) * Spring * dt;
            }

            chunk.MarkChanged<Velocity>();
        }
    }
}
