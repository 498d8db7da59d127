using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Layout.Segments;

namespace SimHost.Host.SharedStorage;

/// <summary>
/// The world's column allocator for <see cref="StorageMode.Shared"/>: every archetype holding one of the shared
/// components gets an <see cref="ArchetypeSegment"/> in the run directory, and those components' columns move into
/// it. Disposing moves them back into managed arrays, so the world stays usable after the run.
/// </summary>
internal sealed class SharedColumnStore : IColumnAllocator, IDisposable
{
    private readonly RunDirectory _runDirectory;
    private readonly SharedMemoryBudget _budget;
    private readonly ComponentType[] _shared;
    private ArchetypeSegment?[] _byArchetype = new ArchetypeSegment?[16];
    private bool _isDisposed;

    /// <summary>Creates a store whose segments go in <paramref name="runDirectory"/>; install it with <see cref="Install"/>.</summary>
    /// <param name="runDirectory">Where the segment files go.</param>
    /// <param name="sharedComponents">The components offloaded systems read or write.</param>
    /// <param name="budget">The run-wide shared-memory total.</param>
    public SharedColumnStore(RunDirectory runDirectory, IEnumerable<ComponentType> sharedComponents, SharedMemoryBudget budget)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(sharedComponents);
        ArgumentNullException.ThrowIfNull(budget);
        _runDirectory = runDirectory;
        _budget = budget;
        var shared = new List<ComponentType>();
        foreach (var component in sharedComponents)
        {
            if (!shared.Contains(component))
            {
                shared.Add(component);
            }
        }

        // Pairs in component-id order, so every archetype lays out the same components the same way.
        shared.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        _shared = [.. shared];
    }

    /// <summary>The components whose columns live in shared segments.</summary>
    public IReadOnlyList<ComponentType> SharedComponents => _shared;

    /// <summary>Moves the shared components' columns of every archetype of <paramref name="world"/>, now and later, into segments.</summary>
    /// <exception cref="InvalidOperationException">The world already has a column allocator, or a query is iterating.</exception>
    public void Install(World world)
    {
        ArgumentNullException.ThrowIfNull(world);
        world.UseColumnAllocator(this);
    }

    /// <summary>The segment of <paramref name="archetype"/>, or null when it holds no shared component.</summary>
    public ArchetypeSegment? SegmentOf(Archetype archetype)
    {
        ArgumentNullException.ThrowIfNull(archetype);
        return archetype.Id < _byArchetype.Length ? _byArchetype[archetype.Id] : null;
    }

    /// <inheritdoc/>
    void IColumnAllocator.Adopt(Archetype archetype)
    {
        if (_isDisposed)
        {
            return;
        }

        var components = new List<ComponentType>();
        foreach (var component in _shared)
        {
            if (archetype.Has(component.Id))
            {
                components.Add(component);
            }
        }

        if (components.Count == 0)
        {
            return;
        }

        var segment = new ArchetypeSegment(archetype, [.. components], _runDirectory, _budget);
        if (archetype.Id >= _byArchetype.Length)
        {
            Array.Resize(ref _byArchetype, Math.Max(archetype.Id + 1, _byArchetype.Length * 2));
        }

        _byArchetype[archetype.Id] = segment;
        foreach (var component in components)
        {
            archetype.GetColumn(component.Id).MoveTo(segment, archetype.Count);
        }
    }

    /// <summary>Moves every shared column back into managed memory and deletes the segments.</summary>
    public void Dispose()
    {
        if (_isDisposed)
        {
            return;
        }

        _isDisposed = true;
        foreach (var segment in _byArchetype)
        {
            segment?.Dispose();
        }
    }
}
