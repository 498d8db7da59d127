using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// The ECS world: entities, their components stored in archetype tables, and the change tick. Not thread-safe:
/// structural changes happen on one thread, and never while a query iterates (record them in a
/// <see cref="CommandBuffer"/> instead).
/// </summary>
public sealed partial class World
{
    private readonly List<Archetype> _archetypes = [];
    private readonly Dictionary<ComponentMask, Archetype> _archetypesByMask = [];
    private readonly Archetype _root;
    private Archetype[] _archetypeById = new Archetype[16];
    private RowBuffer<EntityRecord> _records = new(new EntityRecord[64]);
    private int[] _freeSlots = new int[16];
    private int _freeCount;
    private int _slotCount;
    private byte[]?[] _defaultValues = new byte[]?[16];
    private uint _changeTick = 1;
    private QueryThreads? _threads;

    /// <summary>Creates an empty world whose change tick starts at one.</summary>
    public World()
    {
        _root = GetOrCreateArchetype(default);
    }

    /// <summary>The number of live entities.</summary>
    public int EntityCount { get; private set; }

    /// <summary>
    /// The tick that writes stamp on the rows they change. Advanced by <see cref="AdvanceTick"/> (per frame or per
    /// system run) and by every query with a change filter when it starts iterating.
    /// </summary>
    internal uint ChangeTick => Volatile.Read(ref _changeTick);

    /// <summary>Every archetype created so far, in creation order; archetypes are never removed.</summary>
    public ReadOnlySpan<Archetype> Archetypes => CollectionsMarshal.AsSpan(_archetypes);

    /// <summary>Incremented when an archetype is created, so cached queries know to look at the new ones.</summary>
    internal int ArchetypeVersion => _archetypes.Count;

    /// <summary>Whether a query is iterating; structural changes are refused until it ends.</summary>
    public bool IsIterating => IterationDepth > 0;

    // Systems of one level iterate queries on several threads at once, so the depth is changed atomically.
    private int _iterationDepth;

    internal int IterationDepth => Volatile.Read(ref _iterationDepth);

    internal void EnterIteration() => Interlocked.Increment(ref _iterationDepth);

    internal void ExitIteration() => Interlocked.Decrement(ref _iterationDepth);

    /// <summary>Decides where new archetypes keep their columns; null keeps every column a managed array.</summary>
    internal IColumnAllocator? ColumnAllocator { get; private set; }

    /// <summary>
    /// Hands column placement to <paramref name="allocator"/>: it adopts every existing archetype now and every new
    /// one as it is created, moving the columns it wants into its own memory.
    /// </summary>
    internal void UseColumnAllocator(IColumnAllocator allocator)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        EnsureNotIterating("change the column allocator");
        if (ColumnAllocator is not null)
        {
            throw new InvalidOperationException("The world already has a column allocator; a world's storage is chosen once.");
        }

        ColumnAllocator = allocator;
        foreach (var archetype in _archetypes)
        {
            allocator.Adopt(archetype);
        }
    }

    /// <summary>
    /// The threads <see cref="Query.ParallelForEachChunk{TCallback}"/> splits this world's rows over:
    /// <see cref="QueryThreads.Shared"/> (one per processor) unless set. The world does not dispose them.
    /// </summary>
    public QueryThreads Threads
    {
        get => _threads ?? QueryThreads.Shared;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _threads = value;
        }
    }

    /// <summary>Advances the change tick, so later writes are newer than everything a reader saw before.</summary>
    /// <returns>The new tick.</returns>
    internal uint AdvanceTick() => Interlocked.Increment(ref _changeTick);

    /// <summary>
    /// Registers component <typeparamref name="T"/> with the value new rows get when no value is given (by
    /// <see cref="Add{T}(Entity)"/> and <see cref="Blueprint.With{T}()"/>). Optional: first use registers with
    /// <c>default(T)</c>.
    /// </summary>
    /// <returns>The component type, with its id.</returns>
    public ComponentType Register<T>(T defaultValue = default)
        where T : unmanaged
    {
        int id = ComponentTypeCache<T>.Id;
        if (id >= _defaultValues.Length)
        {
            Array.Resize(ref _defaultValues, Math.Max(id + 1, _defaultValues.Length * 2));
        }

        _defaultValues[id] = MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in defaultValue)).ToArray();
        return ComponentTypeCache<T>.Type;
    }

    /// <summary>The registered default value of <typeparamref name="T"/>, or <c>default(T)</c>.</summary>
    public T GetDefault<T>()
        where T : unmanaged
    {
        int id = ComponentTypeCache<T>.Id;
        return id < _defaultValues.Length && _defaultValues[id] is { } bytes ? MemoryMarshal.Read<T>(bytes) : default;
    }

    /// <summary>The registered default value of a component as bytes (zeros if none was registered).</summary>
    internal ReadOnlySpan<byte> DefaultBytes(int componentId)
    {
        if (componentId >= _defaultValues.Length)
        {
            Array.Resize(ref _defaultValues, Math.Max(componentId + 1, _defaultValues.Length * 2));
        }

        return _defaultValues[componentId] ??= new byte[ComponentType.FromId(componentId).SizeBytes];
    }

    /// <summary>Creates a query builder; add filters with <c>All</c>, <c>Any</c>, <c>None</c> and <c>Changed</c>.</summary>
    public Query Query() => new(this);

    /// <summary>Creates a blueprint for <see cref="CreateMany(int, Blueprint)"/>.</summary>
    public Blueprint Blueprint() => new(this);

    /// <summary>Whether <paramref name="entity"/> refers to a live entity of this world.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsAlive(Entity entity)
    {
        int index = entity.Index;
        if ((uint)index >= (uint)_slotCount)
        {
            return false;
        }

        ref EntityRecord record = ref _records.Span[index];
        // A retired slot keeps the last generation but no row, so the generation alone does not prove life.
        return record.Generation == entity.Generation && record.Row >= 0;
    }

    /// <summary>Whether the live <paramref name="entity"/> has component <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The entity is not alive.</exception>
    public bool Has<T>(Entity entity)
        where T : unmanaged => _archetypeById[RecordOf(entity).ArchetypeId].ColumnIndex(ComponentTypeCache<T>.Id) >= 0;

    /// <summary>
    /// A reference to the entity's component. Writing through it does not mark the row changed: call
    /// <see cref="MarkChanged{T}(Entity)"/> or use <see cref="Set{T}(Entity, in T)"/> when change filters must see it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The entity is not alive or has no such component.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T Get<T>(Entity entity)
        where T : unmanaged
    {
        ref EntityRecord record = ref RecordOf(entity);
        return ref ColumnOf<T>(entity, _archetypeById[record.ArchetypeId]).Values[record.Row];
    }

    /// <summary>Writes the entity's component and marks the row changed at the current tick.</summary>
    /// <exception cref="InvalidOperationException">The entity is not alive or has no such component.</exception>
    public void Set<T>(Entity entity, in T value)
        where T : unmanaged
    {
        ref EntityRecord record = ref RecordOf(entity);
        Column<T> column = ColumnOf<T>(entity, _archetypeById[record.ArchetypeId]);
        column.Values[record.Row] = value;
        column.MarkChanged(record.Row, ChangeTick);
    }

    /// <summary>Marks the entity's component changed at the current tick, after a write through <see cref="Get{T}"/>.</summary>
    /// <exception cref="InvalidOperationException">The entity is not alive or has no such component.</exception>
    public void MarkChanged<T>(Entity entity)
        where T : unmanaged
    {
        ref EntityRecord record = ref RecordOf(entity);
        ColumnOf<T>(entity, _archetypeById[record.ArchetypeId]).MarkChanged(record.Row, ChangeTick);
    }

    /// <summary>Test hook: gives a live entity's slot another generation and returns the entity's new handle.</summary>
    internal Entity SetGenerationForTesting(Entity entity, uint generation)
    {
        ref EntityRecord record = ref RecordOf(entity);
        var renamed = new Entity(entity.Index, generation);
        record.Generation = generation;
        _archetypeById[record.ArchetypeId].EntitySpan[record.Row] = renamed;
        _archetypeById[record.ArchetypeId].TouchStructure();
        return renamed;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref EntityRecord RecordOf(Entity entity)
    {
        int index = entity.Index;
        if ((uint)index < (uint)_slotCount)
        {
            ref EntityRecord record = ref _records.Span[index];
            if (record.Generation == entity.Generation && record.Row >= 0)
            {
                return ref record;
            }
        }

        ThrowNotAlive(entity);
        return ref Unsafe.NullRef<EntityRecord>();
    }

    internal void EnsureNotIterating(string operation)
    {
        if (IterationDepth > 0)
        {
            throw new InvalidOperationException(
                $"Cannot {operation} while a query is iterating or a system is running: structural changes would move rows " +
                "under the iterator or an offloaded job. Record the change in a CommandBuffer (a system's Commands, played " +
                "back at the end of its stage).");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Column<T> ColumnOf<T>(Entity entity, Archetype archetype)
        where T : unmanaged
    {
        int index = archetype.ColumnIndex(ComponentTypeCache<T>.Id);
        if (index < 0)
        {
            ThrowMissingComponent(entity, ComponentTypeCache<T>.Type);
        }

        return Unsafe.As<Column<T>>(archetype.Columns[index]);
    }

    [DoesNotReturn]
    private static void ThrowNotAlive(Entity entity) =>
        throw new InvalidOperationException($"{entity} is not alive: it was destroyed or never created in this world.");

    [DoesNotReturn]
    private static void ThrowMissingComponent(Entity entity, ComponentType type) =>
        throw new InvalidOperationException($"{entity} has no component {type.Name}.");
}
