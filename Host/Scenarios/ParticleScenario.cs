using SimHost.Host.Ecs;
using SimHost.Host.Simulation;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;

namespace SimHost.Host.Scenarios;

/// <summary>
/// The built-in scenario: particles with a <see cref="Position"/> and <see cref="Velocity"/>, seeded deterministically
/// inside the box, stepped every frame by the offloaded <see cref="PhysicsStepJob"/>. The same seed and frames give
/// the same <see cref="WorldChecksum"/> with any executor and any worker count.
/// </summary>
public static class ParticleScenario
{
    /// <summary>The name of the offloaded physics system.</summary>
    public const string SystemName = "physics";

    /// <summary>The fastest initial speed along each axis, in metres per second.</summary>
    public const float MaxInitialSpeed = 20f;

    /// <summary>The components the scenario's checksum covers.</summary>
    public static ComponentType[] Components => [ComponentType.Of<Position>(), ComponentType.Of<Velocity>()];

    /// <summary>Seeds <paramref name="entities"/> particles, adds the physics system and builds the simulation.</summary>
    /// <param name="builder">The builder, already given its executor, jobs and run directory as wanted.</param>
    /// <param name="world">An empty world.</param>
    /// <param name="entities">How many particles.</param>
    /// <param name="seed">The seed of their positions and velocities.</param>
    /// <param name="parameters">The physics constants; <see cref="PhysicsParameters.Default"/> when null.</param>
    /// <param name="ticksPerFrame">Physics ticks each frame runs; the checksum after F frames of K ticks equals F × K frames of 1.</param>
    /// <returns>The simulation to run.</returns>
    public static SimulationRunner Create(SimulationBuilder builder, World world, int entities, ulong seed, PhysicsParameters? parameters = null, int ticksPerFrame = 1)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var constants = parameters ?? PhysicsParameters.Default;
        Seed(world, entities, seed, constants);
        return AddSystems(builder, constants, ticksPerFrame).Build(world);
    }

    /// <summary>Adds the offloaded physics system (writes Position and Velocity, job <c>physics.step</c>, <paramref name="ticksPerFrame"/> ticks a frame).</summary>
    /// <returns>The builder.</returns>
    public static SimulationBuilder AddSystems(SimulationBuilder builder, PhysicsParameters parameters, int ticksPerFrame = 1)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSystem(SystemName, system => system
            .Writes<Position>()
            .Writes<Velocity>()
            .Offload(PhysicsStepJob.JobName, parameters)
            .Ticks(ticksPerFrame));
    }

    /// <summary>Registers the components and creates <paramref name="entities"/> particles from <paramref name="seed"/>.</summary>
    /// <returns>The particles, in creation order.</returns>
    public static Entity[] Seed(World world, int entities, ulong seed, PhysicsParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentOutOfRangeException.ThrowIfNegative(entities);
        world.Register<Position>();
        world.Register<Velocity>();
        var blueprint = world.Blueprint().With<Position>().With<Velocity>();
        var created = world.CreateMany(entities, blueprint);

        // CreateMany puts the particles in consecutive rows at the end of one archetype: fill those columns directly.
        var archetype = blueprint.Archetype;
        var first = archetype.Count - entities;
        Fill(archetype.GetSpan<Position>().Slice(first, entities), archetype.GetSpan<Velocity>().Slice(first, entities), seed, parameters);
        return created;
    }

    /// <summary>
    /// Writes the initial particles of <paramref name="seed"/>: positions uniform in the box, velocities uniform in
    /// ±<see cref="MaxInitialSpeed"/> per axis. Particle i depends only on the seed and i's place in the sequence.
    /// </summary>
    public static void Fill(Span<Position> positions, Span<Velocity> velocities, ulong seed, in PhysicsParameters parameters)
    {
        if (positions.Length != velocities.Length)
        {
            throw new ArgumentException($"{positions.Length} positions but {velocities.Length} velocities.", nameof(velocities));
        }

        var random = new SplitMix64(seed);
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i] = new Position(
                random.NextSingle(parameters.BoxMinX, parameters.BoxMaxX),
                random.NextSingle(parameters.BoxMinY, parameters.BoxMaxY),
                random.NextSingle(parameters.BoxMinZ, parameters.BoxMaxZ));
            velocities[i] = new Velocity(
                random.NextSingle(-MaxInitialSpeed, MaxInitialSpeed),
                random.NextSingle(-MaxInitialSpeed, MaxInitialSpeed),
                random.NextSingle(-MaxInitialSpeed, MaxInitialSpeed));
        }
    }
}
