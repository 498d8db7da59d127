using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Simulation;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;

namespace SimHost.Physics;

/// <summary>
/// The particles module, what <c>simhost run</c> runs by default: particles with a <see cref="Position"/> and
/// <see cref="Velocity"/>, seeded deterministically inside the box, stepped every frame by the offloaded
/// <see cref="PhysicsStepJob"/>. The same seed and frames give the same checksum with any executor and worker count.
/// </summary>
/// <remarks>
/// The module, its components and its jobs share the SimHost.Physics assembly (the default
/// <see cref="SimulationModule.JobAssemblies"/>): simhost references it, and workers load it by path.
/// </remarks>
public sealed class ParticlesModule : SimulationModule
{
    /// <summary>The name of the offloaded physics system.</summary>
    public const string SystemName = "physics";

    /// <summary>The fastest initial speed along each axis, in metres per second.</summary>
    public const float MaxInitialSpeed = 20f;

    private static readonly ModuleParameter[] s_parameters =
    [
        ModuleParameter.Number("gravity", PhysicsParameters.Default.GravityY, -1000, 1000, "vertical acceleration in m/s² (negative pulls down)"),
        ModuleParameter.Number("damping", PhysicsParameters.Default.Damping, 0, 1, "velocity kept per tick, 1 keeps all"),
        ModuleParameter.Number("restitution", PhysicsParameters.Default.Restitution, 0, 1, "speed kept when bouncing off a wall"),
    ];

    /// <summary>The components every particle has, which the checksum covers.</summary>
    public static ComponentType[] ParticleComponents => [ComponentType.Of<Position>(), ComponentType.Of<Velocity>()];

    /// <inheritdoc/>
    public override string Name => "particles";

    /// <inheritdoc/>
    public override string Description => "particles falling and bouncing in a 100 m box";

    /// <inheritdoc/>
    public override IReadOnlyList<ModuleParameter> Parameters => s_parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<ComponentType> ChecksumComponents => ParticleComponents;

    /// <summary>The physics constants of <paramref name="parameters"/>: the defaults with gravity, damping and restitution set.</summary>
    /// <returns>The constants sent to the job.</returns>
    public static PhysicsParameters Constants(ModuleParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return PhysicsParameters.Default with
        {
            GravityY = (float)parameters.GetDouble("gravity"),
            Damping = (float)parameters.GetDouble("damping"),
            Restitution = (float)parameters.GetDouble("restitution"),
        };
    }

    /// <inheritdoc/>
    public override void Seed(World world, ModuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Seed(world, context.Entities, context.Seed, Constants(context.Parameters));
    }

    /// <summary>Adds the offloaded physics system (writes Position and Velocity, job <c>physics.step</c>).</summary>
    public override void AddSystems(SimulationBuilder builder, ModuleContext context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);
        builder.AddSystem(SystemName, system => system
            .Writes<Position>()
            .Writes<Velocity>()
            .Offload(PhysicsStepJob.JobName, Constants(context.Parameters))
            .Ticks(context.TicksPerFrame));
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
        var created = new Entity[entities];
        world.CreateMany(created, blueprint);

        // Particle i gets the i-th values of the seed's sequence, whatever rows CreateMany gave it.
        var positions = new Position[entities];
        var velocities = new Velocity[entities];
        Fill(positions, velocities, seed, parameters);
        for (var i = 0; i < created.Length; i++)
        {
            world.Set(created[i], positions[i]);
            world.Set(created[i], velocities[i]);
        }

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
