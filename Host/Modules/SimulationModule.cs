using System.Reflection;
using SimHost.Host.Ecs;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;

namespace SimHost.Host.Modules;

/// <summary>
/// A user's simulation, as <c>simhost run --module PATH</c> and a host program run it: its name, its parameters, its
/// systems (with the components each reads and writes, and the jobs offloaded ones run), its initial world and what
/// its checksum covers. Derive one public class per module assembly; <see cref="Build"/> is the one path from a
/// module to a running simulation, for the CLI and for your own host alike.
/// </summary>
/// <remarks>
/// Its jobs live in <see cref="JobAssemblies"/> (the module's own assembly unless it says otherwise). Workers load
/// those assemblies by path, each with its dependencies: pass <see cref="JobAssemblyPaths"/> to
/// <c>WorkerPoolOptions.JobAssemblies</c>, from the module's build or publish output folder.
/// </remarks>
public abstract class SimulationModule
{
    /// <summary>The module's name in messages and summaries: lower case, e.g. <c>particles</c>, <c>grazers</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line saying what it simulates.</summary>
    public virtual string Description => string.Empty;

    /// <summary>The entity count of a run that does not set one (<c>--entities</c>).</summary>
    public virtual int DefaultEntities => 100_000;

    /// <summary>The parameters a run may set with <c>--param NAME=VALUE</c> (none unless overridden).</summary>
    public virtual IReadOnlyList<ModuleParameter> Parameters => [];

    /// <summary>
    /// The assemblies holding the jobs its offloaded systems run: the module's own assembly unless overridden. The host
    /// builds its job catalog from them and every worker loads them by path (<see cref="JobAssemblyPaths"/>).
    /// </summary>
    public virtual IReadOnlyList<Assembly> JobAssemblies => [GetType().Assembly];

    /// <summary>The components the checksum of a run covers (with every live entity's handle).</summary>
    public abstract IReadOnlyList<ComponentType> ChecksumComponents { get; }

    /// <summary>Registers the module's components and creates its initial entities in the empty <paramref name="world"/>.</summary>
    /// <param name="world">An empty world.</param>
    /// <param name="context">Seed, entity count and parameter values: the same context must give the same world.</param>
    public abstract void Seed(World world, ModuleContext context);

    /// <summary>
    /// Adds the module's systems: what each reads and writes, and which run in-process or offload a job. It may be
    /// called more than once per module instance (simhost builds the systems once on an empty world to check them before
    /// its workers start), so it only declares systems and holds no resources of its own.
    /// </summary>
    /// <param name="builder">The builder, given its executor, storage and limits by the caller.</param>
    /// <param name="context">Parameter values and ticks per frame.</param>
    public abstract void AddSystems(SimulationBuilder builder, ModuleContext context);

    /// <summary>
    /// Seeds <paramref name="world"/>, adds the systems and builds the simulation. Offloaded systems find their jobs in
    /// <see cref="JobAssemblies"/> unless <paramref name="builder"/> was already given a catalog with
    /// <see cref="SimulationBuilder.WithJobs"/>.
    /// </summary>
    /// <param name="builder">The builder, with its executor (a worker pool started with <see cref="JobAssemblyPaths"/>), storage and limits.</param>
    /// <param name="world">An empty world.</param>
    /// <param name="context">What the run asks for; <see cref="ModuleContext.For(SimulationModule, ulong, int?, IEnumerable{string}?, int)"/> makes one.</param>
    /// <returns>The simulation, ready for its first frame; dispose it to delete its segment files.</returns>
    /// <exception cref="ArgumentException"><paramref name="world"/> is not new and empty (seeding it again would double it).</exception>
    public SimulationRunner Build(SimulationBuilder builder, World world, ModuleContext context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(context);
        if (!world.IsPristine)
        {
            throw new ArgumentException($"Module '{Name}': Build seeds the world, which must be new and empty; this one already has entities or archetypes. To continue from a checkpoint, use Resume.", nameof(world));
        }

        if (!builder.HasJobs)
        {
            builder.WithJobs(LoadJobs());
        }

        Seed(world, context);
        AddSystems(builder, context);
        return builder.Build(world);
    }

    /// <summary>
    /// Adds the systems and builds the simulation on the checkpoint directory <paramref name="checkpoint"/> instead of
    /// a seeded world (<see cref="SimulationBuilder.BuildFromCheckpoint(World, string)"/>): the next frame is the one
    /// after the checkpoint, and the frames that follow give what the uninterrupted run would have, given the same
    /// parameters. Jobs are found as <see cref="Build"/> finds them.
    /// </summary>
    /// <param name="builder">The builder, with its executor, storage and limits.</param>
    /// <param name="world">A new, empty world.</param>
    /// <param name="context">The parameters and ticks per frame of the run that wrote the checkpoint.</param>
    /// <param name="checkpoint">A checkpoint directory written by <see cref="SimulationRunner.SaveCheckpoint(string)"/> or <c>simhost run</c>.</param>
    /// <returns>The simulation, ready for the frame after the checkpoint; dispose it to delete its segment files.</returns>
    /// <exception cref="Persistence.CheckpointException">The checkpoint is damaged, or not one of this module's simulations.</exception>
    public SimulationRunner Resume(SimulationBuilder builder, World world, ModuleContext context, string checkpoint)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(context);
        if (!builder.HasJobs)
        {
            builder.WithJobs(LoadJobs());
        }

        AddSystems(builder, context);

        // The checksum's components are this module's too, even if no system names them: known before the load.
        _ = ChecksumComponents;
        return builder.BuildFromCheckpoint(world, checkpoint);
    }

    /// <summary>The catalog of the jobs in <see cref="JobAssemblies"/>.</summary>
    /// <returns>The catalog.</returns>
    /// <exception cref="JobCatalogException">A job cannot be created, or two share a name.</exception>
    public JobCatalog LoadJobs() => JobCatalog.FromAssemblies(JobAssemblies);

    /// <summary>The file paths of <see cref="JobAssemblies"/>, for <c>WorkerPoolOptions.JobAssemblies</c>.</summary>
    /// <returns>The paths, in order.</returns>
    /// <exception cref="InvalidOperationException">An assembly was not loaded from a file, so no worker could load it.</exception>
    public IReadOnlyList<string> JobAssemblyPaths()
    {
        var paths = new List<string>();
        foreach (var assembly in JobAssemblies)
        {
            if (string.IsNullOrEmpty(assembly.Location))
            {
                throw new InvalidOperationException($"Module '{Name}': job assembly '{assembly.GetName().Name}' was not loaded from a file, so workers cannot load it; build it as a dll.");
            }

            if (!paths.Contains(assembly.Location, StringComparer.Ordinal))
            {
                paths.Add(assembly.Location);
            }
        }

        return paths;
    }

    /// <summary>The checksum of <paramref name="world"/> over <see cref="ChecksumComponents"/>; print it with <see cref="WorldChecksum.Format"/>.</summary>
    /// <returns>The 128-bit checksum.</returns>
    public UInt128 Checksum(World world)
    {
        ArgumentNullException.ThrowIfNull(world);
        var components = ChecksumComponents;
        var array = new ComponentType[components.Count];
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = components[i];
        }

        return WorldChecksum.Compute(world, array);
    }
}
