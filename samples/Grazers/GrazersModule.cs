using Grazers.Components;
using Grazers.Jobs;
using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Simulation;

namespace Grazers;

/// <summary>
/// A herd grazing a grass field: <c>--entities</c> grazers at the start (<see cref="DefaultEntities"/> unless the run
/// says) on a square field of <c>field</c> × <c>field</c> cells, which are entities too and come on top. Each frame the
/// herd wanders toward the watering holes (<see cref="WanderJob"/>, offloaded), the grass grows back
/// (<see cref="RegrowJob"/>, offloaded, using MathNet.Numerics), every grazer eats the grass of its cell (in-process),
/// and grazers whose energy changed are born or die through a command buffer.
/// </summary>
public sealed class GrazersModule : SimulationModule
{
    /// <summary>The most grass one cell holds.</summary>
    public const float Capacity = 10f;

    private const float BiteRate = 4f;
    private const float EnergyPerGrass = 5f;

    private static readonly ModuleParameter[] s_parameters =
    [
        ModuleParameter.WholeNumber("field", 256, 8, 4096, "cells per side of the square field, one metre each"),
        ModuleParameter.Number("grass-growth", 0.5, 0, 10, "grass a fertile cell grows per second in full sun"),
        ModuleParameter.Number("birth-energy", 80, 1, 1000, "energy at which a grazer calves, sharing its energy with the calf"),
    ];

    /// <inheritdoc/>
    public override string Name => "grazers";

    /// <inheritdoc/>
    public override string Description =>
        "a herd grazing a grass field: wander, regrow, graze, calve and starve; --entities is the starting herd, the field's cells come on top";

    /// <summary>Grazers at the start of a run that does not say (<c>--entities</c>); the field's cells come on top.</summary>
    public override int DefaultEntities => 50_000;

    /// <inheritdoc/>
    public override IReadOnlyList<ModuleParameter> Parameters => s_parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<ComponentType> ChecksumComponents =>
        [ComponentType.Of<Position>(), ComponentType.Of<Grazer>(), ComponentType.Of<Pasture>()];

    /// <summary>
    /// Seeds the field's cells (<c>field</c> × <c>field</c>), then <see cref="ModuleContext.Entities"/> grazers
    /// (<c>--entities</c>, else <see cref="DefaultEntities"/>): the world starts with both.
    /// </summary>
    public override void Seed(World world, ModuleContext context)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(context);
        var side = context.Parameters.GetInt32("field");
        var growth = (float)context.Parameters.GetDouble("grass-growth");
        world.Register<Position>();
        world.Register<Grazer>();
        world.Register<Pasture>();

        var random = new SeedSequence(context.Seed);
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                world.Create(new Position(x + 0.5f, y + 0.5f), new Pasture(Capacity * random.NextSingle(), growth * (0.5f + random.NextSingle())));
            }
        }

        for (var i = 0; i < context.Entities; i++)
        {
            var position = new Position(side * random.NextSingle(), side * random.NextSingle());
            world.Create(position, new Grazer(40f + (20f * random.NextSingle()), MathF.Tau * random.NextSingle()));
        }
    }

    /// <inheritdoc/>
    public override void AddSystems(SimulationBuilder builder, ModuleContext context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);
        var side = context.Parameters.GetInt32("field");
        var birthEnergy = (float)context.Parameters.GetDouble("birth-energy");
        var maxHerd = 2L * context.Entities;
        var wander = new WanderParameters(side, Speed: 1.5f, Cost: 3f, OasisSeed: (uint)context.Seed);
        var growth = new GrowthParameters(Capacity, DayLength: 20f);
        var field = new FieldCells(side);

        builder
            .AddSystem("wander", system => system.Writes<Position>().Writes<Grazer>().Offload(WanderJob.JobName, wander).Ticks(context.TicksPerFrame))
            .AddSystem("regrow", system => system.Writes<Pasture>().Offload(RegrowJob.JobName, growth).Ticks(context.TicksPerFrame))
            .AddSystem("graze", system => system.Reads<Position>().Writes<Grazer>().After("regrow").Run(run => Graze(run, field)))
            .AddSystem("life", system => system.Reads<Position>().Reads<Grazer>().Query(query => query.Changed<Grazer>()).Run(run => Live(run, side, birthEnergy, maxHerd)));
    }

    /// <summary>
    /// Every grazer eats from the cell it stands on; grazers are visited in row order, so two on one cell share it the
    /// same way in every mode. The cells are written through the world (they are not this system's rows).
    /// </summary>
    private static void Graze(SystemContext run, FieldCells field)
    {
        var dt = (float)run.DeltaSeconds;
        foreach (var chunk in run.Query.Chunks())
        {
            var positions = chunk.Span<Position>();
            var grazers = chunk.Span<Grazer>();
            for (var i = 0; i < positions.Length; i++)
            {
                var cell = field.At(run.World, positions[i]);
                var pasture = run.World.Get<Pasture>(cell);
                var bite = MathF.Min(pasture.Grass, BiteRate * dt);
                if (bite > 0)
                {
                    run.World.Set(cell, pasture with { Grass = pasture.Grass - bite });
                    grazers[i].Energy += bite * EnergyPerGrass;
                }
            }

            chunk.MarkChanged<Grazer>();
        }
    }

    /// <summary>
    /// Grazers whose energy changed since this system last ran: a starved one dies, a well-fed one calves (while the
    /// herd is under twice its starting size). Both are structural changes, so they go through the command buffer.
    /// </summary>
    private static void Live(SystemContext run, int side, float birthEnergy, long maxHerd)
    {
        long herd = run.World.EntityCount - ((long)side * side);
        foreach (var chunk in run.Query.Chunks())
        {
            var entities = chunk.Entities;
            var positions = chunk.Span<Position>();
            var grazers = chunk.Span<Grazer>();
            for (var i = 0; i < entities.Length; i++)
            {
                var grazer = grazers[i];
                if (grazer.Energy <= 0)
                {
                    run.Commands.Destroy(entities[i]);
                    herd--;
                }
                else if (grazer.Energy >= birthEnergy && herd < maxHerd)
                {
                    var half = grazer.Energy / 2;
                    run.Commands.Set(entities[i], grazer with { Energy = half });
                    var calf = run.Commands.Create();
                    run.Commands.Add(calf, positions[i]);
                    run.Commands.Add(calf, new Grazer(half, grazer.Heading + MathF.PI));
                    herd++;
                }
            }
        }
    }
}
