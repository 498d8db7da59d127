using System.Collections.Frozen;

namespace SimHost.Host.Scheduling;

/// <summary>
/// An immutable description of one schedulable system: its name, stage, explicit ordering, the components and
/// resources it reads and writes, where it runs, and the work itself. Build one with <see cref="Create"/>.
/// </summary>
internal sealed class SystemDescriptor
{
    internal SystemDescriptor(
        string name,
        string stage,
        string[] before,
        string[] after,
        FrozenSet<Type> componentReads,
        FrozenSet<Type> componentWrites,
        FrozenSet<string> resourceReads,
        FrozenSet<string> resourceWrites,
        ExecutionKind executionKind,
        Func<SystemRunContext, CancellationToken, ValueTask> work,
        bool usesAllThreads = false)
    {
        Name = name;
        Stage = stage;
        Before = before;
        After = after;
        ComponentReads = componentReads;
        ComponentWrites = componentWrites;
        ResourceReads = resourceReads;
        ResourceWrites = resourceWrites;
        ExecutionKind = executionKind;
        Work = work;
        UsesAllThreads = usesAllThreads;
    }

    /// <summary>The system's name, unique within a schedule.</summary>
    public string Name { get; }

    /// <summary>The name of the stage the system runs in.</summary>
    public string Stage { get; }

    /// <summary>Names of systems in the same stage that must run after this one.</summary>
    public IReadOnlyList<string> Before { get; }

    /// <summary>Names of systems in the same stage that must run before this one.</summary>
    public IReadOnlyList<string> After { get; }

    /// <summary>Component types the system reads.</summary>
    public IReadOnlySet<Type> ComponentReads { get; }

    /// <summary>Component types the system writes (a write also counts as access for reads of others).</summary>
    public IReadOnlySet<Type> ComponentWrites { get; }

    /// <summary>Names of resources (singletons outside the component store) the system reads.</summary>
    public IReadOnlySet<string> ResourceReads { get; }

    /// <summary>Names of resources the system writes.</summary>
    public IReadOnlySet<string> ResourceWrites { get; }

    /// <summary>Whether the work runs in-process or dispatches to workers.</summary>
    public ExecutionKind ExecutionKind { get; }

    /// <summary>
    /// Whether the in-process work splits itself over every host thread (a parallel query): no other in-process system
    /// may run beside it, so it conflicts with each of them.
    /// </summary>
    public bool UsesAllThreads { get; }

    /// <summary>The work the scheduler runs once per frame of the system's stage.</summary>
    public Func<SystemRunContext, CancellationToken, ValueTask> Work { get; }

    /// <summary>Starts a fluent description of a system named <paramref name="name"/>, in stage Update unless changed.</summary>
    public static SystemDescriptorBuilder Create(string name) => new(name);

    /// <summary>
    /// True when the two systems may not run at the same time: one writes a component or resource the other reads
    /// or writes, or one uses all threads and the other runs in-process too. Reading the same thing is free. A system
    /// never conflicts with itself by this rule alone.
    /// </summary>
    public bool ConflictsWith(SystemDescriptor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var sharesThreads = ExecutionKind == ExecutionKind.InProcess && other.ExecutionKind == ExecutionKind.InProcess
            && (UsesAllThreads || other.UsesAllThreads);
        return sharesThreads
            || WritesAnyOf(ComponentWrites, other.ComponentReads, other.ComponentWrites)
            || WritesAnyOf(other.ComponentWrites, ComponentReads, ComponentWrites)
            || WritesAnyOf(ResourceWrites, other.ResourceReads, other.ResourceWrites)
            || WritesAnyOf(other.ResourceWrites, ResourceReads, ResourceWrites);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static bool WritesAnyOf<T>(IReadOnlySet<T> writes, IReadOnlySet<T> otherReads, IReadOnlySet<T> otherWrites)
    {
        foreach (var item in writes)
        {
            if (otherReads.Contains(item) || otherWrites.Contains(item))
            {
                return true;
            }
        }

        return false;
    }
}
