using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// The table of every entity with exactly one set of components: one entity column and one contiguous column per
/// component, all indexed by row. Rows are dense (0..<see cref="Count"/>) and removal swaps the last row into the
/// hole. The raw column views below are what the snapshot and commit path block-copies.
/// </summary>
public sealed class Archetype
{
    private const int MinCapacity = 16;

    private readonly int[] _componentIds;
    private readonly int[] _columnIndexById;
    private RowBuffer<Entity> _entities;
    private Archetype?[] _addEdges = [];
    private Archetype?[] _removeEdges = [];

    internal Archetype(World world, int id, ComponentMask mask)
    {
        World = world;
        Id = id;
        Mask = mask;
        _componentIds = mask.ToIds();
        int maxId = _componentIds.Length == 0 ? -1 : _componentIds[^1];
        _columnIndexById = new int[maxId + 1];
        _columnIndexById.AsSpan().Fill(-1);
        Columns = new Column[_componentIds.Length];
        for (int i = 0; i < _componentIds.Length; i++)
        {
            _columnIndexById[_componentIds[i]] = i;
            Columns[i] = ComponentType.FromId(_componentIds[i]).CreateColumn(0);
        }

        _entities = new RowBuffer<Entity>([]);
        world.ColumnAllocator?.Adopt(this);
    }

    /// <summary>The world that owns this archetype.</summary>
    public World World { get; }

    /// <summary>The archetype's index in <see cref="Ecs.World.Archetypes"/>; archetypes are never removed.</summary>
    public int Id { get; }

    /// <summary>The number of rows (entities) in the table.</summary>
    public int Count { get; private set; }

    /// <summary>The number of rows the columns can hold before they grow.</summary>
    public int Capacity => _entities.Length;

    /// <summary>The component ids of this archetype in ascending order; column <c>i</c> holds component <c>ComponentIds[i]</c>.</summary>
    public ReadOnlySpan<int> ComponentIds => _componentIds;

    /// <summary>The entity column: the entity stored in each row.</summary>
    public ReadOnlySpan<Entity> Entities => _entities.Span[..Count];

    /// <summary>
    /// Changes whenever a row is added, removed or renamed, so a copy of the entity column (a shared segment's) knows
    /// to refresh itself; steady frames leave it alone.
    /// </summary>
    internal int StructureVersion { get; private set; }

    internal ComponentMask Mask { get; }

    internal Column[] Columns { get; }

    /// <summary>The entity column's every row, capacity included, to write entities into.</summary>
    internal Span<Entity> EntitySpan => _entities.Span;

    /// <summary>Whether this archetype stores component <typeparamref name="T"/>.</summary>
    public bool Has<T>()
        where T : unmanaged => ColumnIndex(ComponentTypeCache<T>.Id) >= 0;

    /// <summary>Whether this archetype stores the component with the given id.</summary>
    public bool Has(int componentId) => ColumnIndex(componentId) >= 0;

    /// <summary>The rows of component <typeparamref name="T"/>; writers must mark the rows they change.</summary>
    /// <exception cref="InvalidOperationException">The archetype has no such component.</exception>
    public Span<T> GetSpan<T>()
        where T : unmanaged => GetColumn<T>().Values[..Count];

    /// <summary>The rows of one component as raw bytes (row stride = component size), for block copies.</summary>
    /// <exception cref="InvalidOperationException">The archetype has no such component.</exception>
    internal Span<byte> GetBytes(int componentId) => GetColumn(componentId).AsBytes(Count);

    /// <summary>The per-row changed ticks of one component; the commit path stamps the rows it writes back.</summary>
    /// <exception cref="InvalidOperationException">The archetype has no such component.</exception>
    internal Span<uint> GetChangedTicks(int componentId) => GetColumn(componentId).ChangedTicks[..Count];

    /// <summary>Marks rows of one component as changed at the world's current tick.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the table.</exception>
    public void MarkChanged(int componentId, int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        GetColumn(componentId).MarkChanged(start, count, World.ChangeTick);
    }

    /// <summary>Lists the archetype's components, for debugging.</summary>
    public override string ToString()
    {
        var names = new string[_componentIds.Length];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = ComponentType.FromId(_componentIds[i]).Name;
        }

        return $"Archetype #{Id} [{string.Join(", ", names)}] ({Count} entities)";
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int ColumnIndex(int componentId) =>
        (uint)componentId < (uint)_columnIndexById.Length ? _columnIndexById[componentId] : -1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Column<T> GetColumn<T>()
        where T : unmanaged
    {
        int index = ColumnIndex(ComponentTypeCache<T>.Id);
        if (index < 0)
        {
            ThrowMissing(ComponentTypeCache<T>.Id);
        }

        return Unsafe.As<Column<T>>(Columns[index]);
    }

    internal Column GetColumn(int componentId)
    {
        int index = ColumnIndex(componentId);
        if (index < 0)
        {
            ThrowMissing(componentId);
        }

        return Columns[index];
    }

    /// <summary>Appends one row for <paramref name="entity"/>; the caller writes every column of the row.</summary>
    internal int AddRow(Entity entity)
    {
        if (Count == _entities.Length)
        {
            Grow(Count + 1);
        }

        int row = Count++;
        _entities.Span[row] = entity;
        StructureVersion++;
        return row;
    }

    /// <summary>Reserves <paramref name="count"/> rows at the end in one growth and returns the first.</summary>
    internal int AddRows(int count)
    {
        if (Count + count > _entities.Length)
        {
            Grow(Count + count);
        }

        int first = Count;
        Count += count;
        StructureVersion++;
        return first;
    }

    /// <summary>
    /// Makes this empty archetype hold <paramref name="entities"/> (exactly its rows) and <paramref name="columns"/>
    /// (one per component, any order, each exactly as many rows, every row written): a checkpoint load reads the rows
    /// straight into these arrays (or its arena) and hands them over whole once every check has passed.
    /// </summary>
    internal void AdoptRows(RowBuffer<Entity> entities, Column[] columns)
    {
        if (Count != 0 || columns.Length != Columns.Length || World.ColumnAllocator is not null)
        {
            throw new InvalidOperationException($"{this} cannot adopt rows: it is not an empty archetype of managed columns with {columns.Length} components.");
        }

        foreach (var column in columns)
        {
            var index = ColumnIndex(column.ComponentId);
            if (index < 0 || column.Capacity != entities.Length)
            {
                throw new InvalidOperationException($"{this} cannot adopt a column of {ComponentType.FromId(column.ComponentId).Name} with {column.Capacity} rows for {entities.Length} entities.");
            }

            Columns[index] = column;
        }

        _entities = entities;
        Count = entities.Length;
        StructureVersion++;
    }

    /// <summary>Writes zeros over rows [<paramref name="start"/>, +<paramref name="count"/>) of every column (see <see cref="Column.Commit"/>).</summary>
    internal void Commit(int start, int count)
    {
        _entities.Span.Slice(start, count).Clear();
        foreach (Column column in Columns)
        {
            column.Commit(start, count);
        }
    }

    /// <summary>Grows the columns to exactly <paramref name="capacity"/> rows if they hold fewer (a reservation).</summary>
    internal void EnsureCapacity(int capacity)
    {
        if (capacity > _entities.Length)
        {
            Resize(Math.Max(MinCapacity, capacity));
        }
    }

    /// <summary>
    /// Removes a row by moving the last row into it (value and changed tick: a move is not a change) and returns the
    /// entity that now occupies <paramref name="row"/>, or <see cref="Entity.Null"/> if the removed row was last.
    /// </summary>
    internal Entity RemoveRow(int row)
    {
        int last = --Count;
        StructureVersion++;
        if (row == last)
        {
            return Entity.Null;
        }

        Span<Entity> entities = _entities.Span;
        Entity moved = entities[last];
        entities[row] = moved;
        Column[] columns = Columns;
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i].MoveRow(last, row);
        }

        return moved;
    }

    internal void TouchStructure() => StructureVersion++;

    internal Archetype? GetAddEdge(int componentId) =>
        (uint)componentId < (uint)_addEdges.Length ? _addEdges[componentId] : null;

    internal Archetype? GetRemoveEdge(int componentId) =>
        (uint)componentId < (uint)_removeEdges.Length ? _removeEdges[componentId] : null;

    internal void SetAddEdge(int componentId, Archetype target) => SetEdge(ref _addEdges, componentId, target);

    internal void SetRemoveEdge(int componentId, Archetype target) => SetEdge(ref _removeEdges, componentId, target);

    private static void SetEdge(ref Archetype?[] edges, int componentId, Archetype target)
    {
        if (componentId >= edges.Length)
        {
            Array.Resize(ref edges, Math.Max(componentId + 1, edges.Length * 2));
        }

        edges[componentId] = target;
    }

    private void Grow(int required)
    {
        Resize(Math.Max(MinCapacity, Math.Max(required, _entities.Length * 2)));
    }

    private void Resize(int capacity)
    {
        Entity[] entities = GC.AllocateUninitializedArray<Entity>(capacity);
        _entities.Span[..Count].CopyTo(entities);
        _entities.Replace(entities);
        foreach (Column column in Columns)
        {
            column.Resize(capacity);
        }
    }

    [DoesNotReturn]
    private void ThrowMissing(int componentId) =>
        throw new InvalidOperationException(
            $"{this} has no component {ComponentType.FromId(componentId).Name}.");
}
