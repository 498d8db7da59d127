using System.Collections.Frozen;

namespace SimHost.Host.Scheduling;

/// <summary>Fluent builder of a <see cref="SystemDescriptor"/>; <see cref="Build"/> freezes what was declared.</summary>
/// <remarks>
/// The scheduler's own view of a system (names, stage, component types and resources for conflicts, the work as a
/// delegate), kept apart from the public <c>Simulation.SystemBuilder</c> so scheduling knows nothing of the ECS.
/// </remarks>
internal sealed class SystemDescriptorBuilder
{
    private readonly string _name;
    private readonly List<string> _before = [];
    private readonly List<string> _after = [];
    private readonly HashSet<Type> _componentReads = [];
    private readonly HashSet<Type> _componentWrites = [];
    private readonly HashSet<string> _resourceReads = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resourceWrites = new(StringComparer.Ordinal);
    private string _stage = StageNames.Update;
    private ExecutionKind _executionKind = ExecutionKind.InProcess;
    private Func<SystemRunContext, CancellationToken, ValueTask>? _work;
    private bool _usesAllThreads;

    /// <summary>Starts describing a system named <paramref name="name"/>.</summary>
    public SystemDescriptorBuilder(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
    }

    /// <summary>Places the system in <paramref name="stage"/> (default <see cref="StageNames.Update"/>).</summary>
    public SystemDescriptorBuilder InStage(string stage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        _stage = stage;
        return this;
    }

    /// <summary>Requires the named system (same stage) to run after this one.</summary>
    public SystemDescriptorBuilder Before(string system)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        _before.Add(system);
        return this;
    }

    /// <summary>Requires the named system (same stage) to run before this one.</summary>
    public SystemDescriptorBuilder After(string system)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        _after.Add(system);
        return this;
    }

    /// <summary>Declares a read of component <typeparamref name="T"/>.</summary>
    public SystemDescriptorBuilder Reads<T>() => Reads(typeof(T));

    /// <summary>Declares a read of the component type <paramref name="component"/>.</summary>
    public SystemDescriptorBuilder Reads(Type component)
    {
        ArgumentNullException.ThrowIfNull(component);
        _componentReads.Add(component);
        return this;
    }

    /// <summary>Declares a write of component <typeparamref name="T"/>.</summary>
    public SystemDescriptorBuilder Writes<T>() => Writes(typeof(T));

    /// <summary>Declares a write of the component type <paramref name="component"/>.</summary>
    public SystemDescriptorBuilder Writes(Type component)
    {
        ArgumentNullException.ThrowIfNull(component);
        _componentWrites.Add(component);
        return this;
    }

    /// <summary>Declares a read of the resource named <paramref name="resource"/>.</summary>
    public SystemDescriptorBuilder ReadsResource(string resource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        _resourceReads.Add(resource);
        return this;
    }

    /// <summary>Declares a write of the resource named <paramref name="resource"/>.</summary>
    public SystemDescriptorBuilder WritesResource(string resource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        _resourceWrites.Add(resource);
        return this;
    }

    /// <summary>Marks the system as offloaded: its work dispatches a job to workers and is awaited concurrently.</summary>
    public SystemDescriptorBuilder Offloaded() => WithExecutionKind(ExecutionKind.Offloaded);

    /// <summary>Sets where the system runs (default <see cref="ExecutionKind.InProcess"/>).</summary>
    public SystemDescriptorBuilder WithExecutionKind(ExecutionKind kind)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown execution kind.");
        }

        _executionKind = kind;
        return this;
    }

    /// <summary>Marks in-process work that splits itself over every host thread: it runs beside no other in-process system.</summary>
    public SystemDescriptorBuilder UsesAllThreads()
    {
        _usesAllThreads = true;
        return this;
    }

    /// <summary>Sets the asynchronous work run once per frame.</summary>
    public SystemDescriptorBuilder Runs(Func<SystemRunContext, CancellationToken, ValueTask> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        _work = work;
        return this;
    }

    /// <summary>Sets synchronous work run once per frame.</summary>
    public SystemDescriptorBuilder Runs(Action<SystemRunContext> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        _work = (context, _) =>
        {
            work(context);
            return ValueTask.CompletedTask;
        };
        return this;
    }

    /// <summary>Freezes the declaration into an immutable descriptor; throws when no work was set.</summary>
    public SystemDescriptor Build()
    {
        if (_work is null)
        {
            throw new InvalidOperationException($"System '{_name}' has no work; call Runs(...) before Build().");
        }

        return new SystemDescriptor(
            _name,
            _stage,
            [.. _before],
            [.. _after],
            _componentReads.ToFrozenSet(),
            _componentWrites.ToFrozenSet(),
            _resourceReads.ToFrozenSet(StringComparer.Ordinal),
            _resourceWrites.ToFrozenSet(StringComparer.Ordinal),
            _executionKind,
            _work,
            _usesAllThreads);
    }
}
