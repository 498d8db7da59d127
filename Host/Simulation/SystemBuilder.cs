using System.Runtime.InteropServices;
using SimHost.Host.Ecs;
using SimHost.Host.Scheduling;

namespace SimHost.Host.Simulation;

/// <summary>
/// Describes one system of a <see cref="SimulationBuilder"/>: its stage and ordering, the components it reads and
/// writes, its query, and either in-process work (<see cref="Run"/>) or a named job to offload (<see cref="Offload"/>).
/// </summary>
/// <remarks>
/// Not a twin of the scheduler's internal <c>SystemDescriptorBuilder</c>: this is the user's declaration (typed
/// components, the query, the work or job); <c>SystemWiring.Describe</c> turns it into a descriptor, which holds only
/// what ordering needs (names, stage, component types read and written) and keeps the scheduler free of the ECS.
/// </remarks>
public sealed class SystemBuilder
{
    private readonly List<string> _before = [];
    private readonly List<string> _after = [];
    private readonly List<ComponentAccess> _reads = [];
    private readonly List<ComponentAccess> _writes = [];

    internal SystemBuilder(string name)
    {
        Name = name;
    }

    /// <summary>The system's name.</summary>
    public string Name { get; }

    internal string Stage { get; private set; } = StageNames.Update;

    internal IReadOnlyList<string> BeforeSystems => _before;

    internal IReadOnlyList<string> AfterSystems => _after;

    internal IReadOnlyList<ComponentAccess> ComponentReads => _reads;

    internal IReadOnlyList<ComponentAccess> ComponentWrites => _writes;

    internal Action<Query>? ConfigureQuery { get; private set; }

    internal Action<SystemContext>? Work { get; private set; }

    internal string? JobName { get; private set; }

    internal ReadOnlyMemory<byte> JobParameters { get; private set; }

    internal int JobTicks { get; private set; } = 1;

    internal bool UsesAllThreadsDeclared { get; private set; }

    /// <summary>Places the system in <paramref name="stage"/> (default <see cref="StageNames.Update"/>).</summary>
    /// <returns>This builder.</returns>
    public SystemBuilder InStage(string stage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        Stage = stage;
        return this;
    }

    /// <summary>Runs this system before the named system of the same stage.</summary>
    /// <returns>This builder.</returns>
    public SystemBuilder Before(string system)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        _before.Add(system);
        return this;
    }

    /// <summary>Runs this system after the named system of the same stage.</summary>
    /// <returns>This builder.</returns>
    public SystemBuilder After(string system)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        _after.Add(system);
        return this;
    }

    /// <summary>Declares that the system reads component <typeparamref name="T"/>.</summary>
    /// <returns>This builder.</returns>
    public SystemBuilder Reads<T>()
        where T : unmanaged
    {
        Add<T>(_reads);
        return this;
    }

    /// <summary>Declares that the system writes component <typeparamref name="T"/>.</summary>
    /// <returns>This builder.</returns>
    public SystemBuilder Writes<T>()
        where T : unmanaged
    {
        Add<T>(_writes);
        return this;
    }

    /// <summary>
    /// Adds filters to the system's query, e.g. <c>q => q.All&lt;Position, Velocity&gt;().None&lt;Frozen&gt;()</c>.
    /// The query always requires every component the system reads or writes as well.
    /// </summary>
    /// <returns>This builder.</returns>
    public SystemBuilder Query(Action<Query> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ConfigureQuery = configure;
        return this;
    }

    /// <summary>Runs <paramref name="work"/> in the host once per frame.</summary>
    /// <returns>This builder.</returns>
    public SystemBuilder Run(Action<SystemContext> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Work = work;
        return this;
    }

    /// <summary>
    /// Declares that the in-process work splits its query over the world's threads
    /// (<see cref="Ecs.Query.ParallelForEachChunk{TCallback}"/>): the scheduler then runs no other in-process system
    /// beside it, so the threads are its own.
    /// </summary>
    /// <returns>This builder.</returns>
    public SystemBuilder UsesAllThreads()
    {
        UsesAllThreadsDeclared = true;
        return this;
    }

    /// <summary>Offloads the system to the job named <paramref name="jobName"/>, with a raw parameter blob.</summary>
    /// <returns>This builder.</returns>
    public SystemBuilder Offload(string jobName, ReadOnlyMemory<byte> parameters = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobName);
        JobName = jobName;
        JobParameters = parameters;
        return this;
    }

    /// <summary>Offloads the system to the job named <paramref name="jobName"/>; the job reads <paramref name="parameters"/> back with <c>ParametersAs&lt;T&gt;</c>.</summary>
    /// <typeparam name="TParameters">An unmanaged parameter struct.</typeparam>
    /// <returns>This builder.</returns>
    public SystemBuilder Offload<TParameters>(string jobName, TParameters parameters)
        where TParameters : unmanaged =>
        Offload(jobName, MemoryMarshal.AsBytes(new ReadOnlySpan<TParameters>(in parameters)).ToArray());

    /// <summary>
    /// Lets the offloaded job run <paramref name="ticks"/> ticks of the frame's delta time back to back over each range,
    /// without a round trip per tick: the system advances <paramref name="ticks"/> × dt per frame, with the same
    /// result as that many single-tick frames. Only for offloaded systems.
    /// </summary>
    /// <param name="ticks">Ticks per frame, at least 1 (the default).</param>
    /// <returns>This builder.</returns>
    public SystemBuilder Ticks(int ticks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ticks, 1);
        JobTicks = ticks;
        return this;
    }

    private static void Add<T>(List<ComponentAccess> accesses)
        where T : unmanaged
    {
        var type = ComponentType.Of<T>();
        foreach (var access in accesses)
        {
            if (access.Component == type)
            {
                return;
            }
        }

        accesses.Add(new ComponentAccess(type, static query => query.All<T>()));
    }

    /// <summary>A declared component and how to require it in a query without knowing its type statically.</summary>
    internal readonly record struct ComponentAccess(ComponentType Component, Action<Query> Require);
}
