using System.Runtime.CompilerServices;

namespace SimHost.Host.Ecs;

/// <summary>Entity creation and destruction.</summary>
public sealed partial class World
{
    /// <summary>Creates an entity with no components.</summary>
    /// <exception cref="InvalidOperationException">A query is iterating.</exception>
    public Entity Create()
    {
        EnsureNotIterating("create an entity");
        return CreateIn(_root, out _);
    }

    /// <summary>Creates an entity with one component.</summary>
    /// <exception cref="InvalidOperationException">A query is iterating.</exception>
    public Entity Create<T1>(in T1 c1)
        where T1 : unmanaged
    {
        EnsureNotIterating("create an entity");
        Archetype archetype = ArchetypeWith(_root, ComponentTypeCache<T1>.Id);
        Entity entity = CreateIn(archetype, out int row);
        Write(archetype, row, c1);
        return entity;
    }

    /// <summary>Creates an entity with two components.</summary>
    /// <exception cref="InvalidOperationException">A query is iterating.</exception>
    public Entity Create<T1, T2>(in T1 c1, in T2 c2)
        where T1 : unmanaged
        where T2 : unmanaged
    {
        EnsureNotIterating("create an entity");
        Archetype archetype = ArchetypeWith(ArchetypeWith(_root, ComponentTypeCache<T1>.Id), ComponentTypeCache<T2>.Id);
        Entity entity = CreateIn(archetype, out int row);
        Write(archetype, row, c1);
        Write(archetype, row, c2);
        return entity;
    }

    /// <summary>Creates an entity with three components.</summary>
    /// <exception cref="InvalidOperationException">A query is iterating.</exception>
    public Entity Create<T1, T2, T3>(in T1 c1, in T2 c2, in T3 c3)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
    {
        EnsureNotIterating("create an entity");
        Archetype archetype = ArchetypeWith(
            ArchetypeWith(ArchetypeWith(_root, ComponentTypeCache<T1>.Id), ComponentTypeCache<T2>.Id),
            ComponentTypeCache<T3>.Id);
        Entity entity = CreateIn(archetype, out int row);
        Write(archetype, row, c1);
        Write(archetype, row, c2);
        Write(archetype, row, c3);
        return entity;
    }

    /// <summary>Creates an entity with four components.</summary>
    /// <exception cref="InvalidOperationException">A query is iterating.</exception>
    public Entity Create<T1, T2, T3, T4>(in T1 c1, in T2 c2, in T3 c3, in T4 c4)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
    {
        EnsureNotIterating("create an entity");
        Archetype archetype = ArchetypeWith(
            ArchetypeWith(
                ArchetypeWith(ArchetypeWith(_root, ComponentTypeCache<T1>.Id), ComponentTypeCache<T2>.Id),
                ComponentTypeCache<T3>.Id),
            ComponentTypeCache<T4>.Id);
        Entity entity = CreateIn(archetype, out int row);
        Write(archetype, row, c1);
        Write(archetype, row, c2);
        Write(archetype, row, c3);
        Write(archetype, row, c4);
        return entity;
    }

    /// <summary>Creates <paramref name="count"/> entities from a blueprint and returns their handles.</summary>
    /// <exception cref="InvalidOperationException">A query is iterating, or the blueprint belongs to another world.</exception>
    public Entity[] CreateMany(int count, Blueprint blueprint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var entities = GC.AllocateUninitializedArray<Entity>(count);
        CreateMany(entities, blueprint);
        return entities;
    }

    /// <summary>
    /// Creates one entity per element of <paramref name="entities"/> from a blueprint and writes their handles there.
    /// Rows are reserved once and each column is filled with one span operation.
    /// </summary>
    /// <exception cref="InvalidOperationException">A query is iterating, or the blueprint belongs to another world.</exception>
    public void CreateMany(Span<Entity> entities, Blueprint blueprint)
    {
        EnsureNotIterating("create entities");
        if (blueprint.World != this)
        {
            throw new InvalidOperationException("The blueprint was built for another world.");
        }

        int count = entities.Length;
        if (count == 0)
        {
            return;
        }

        Archetype archetype = blueprint.Archetype;
        int firstRow = archetype.AddRows(count);
        Column[] columns = archetype.Columns;
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i].Fill(firstRow, count, blueprint.DefaultBytes(i));
            columns[i].MarkChanged(firstRow, count, ChangeTick);
        }

        // Reuse free slots first, then take fresh indices in one block. Each handle goes to the caller's span and the
        // entity column in the same pass (one pass over the rows instead of a second copy).
        Span<Entity> rowEntities = archetype.EntityArray.AsSpan(firstRow, count);
        int reused = Math.Min(_freeCount, count);
        for (int i = 0; i < reused; i++)
        {
            int index = _freeSlots[--_freeCount];
            ref EntityRecord record = ref _records[index];
            record.ArchetypeId = archetype.Id;
            record.Row = firstRow + i;
            var entity = new Entity(index, record.Generation);
            entities[i] = entity;
            rowEntities[i] = entity;
        }

        int fresh = count - reused;
        EnsureSlotCapacity(_slotCount + fresh);
        Span<EntityRecord> records = _records.AsSpan(_slotCount, fresh);
        int firstIndex = _slotCount;
        int rowBase = firstRow + reused;
        Span<Entity> freshEntities = entities.Slice(reused, fresh);
        Span<Entity> freshRowEntities = rowEntities.Slice(reused, fresh);
        int archetypeId = archetype.Id;
        for (int i = 0; i < records.Length; i++)
        {
            records[i] = new EntityRecord { ArchetypeId = archetypeId, Row = rowBase + i, Generation = 1 };
            var entity = new Entity(firstIndex + i, 1);
            freshEntities[i] = entity;
            freshRowEntities[i] = entity;
        }

        _slotCount += fresh;
        EntityCount += count;
    }

    /// <summary>
    /// Destroys a live entity. Its slot is reused with a higher generation, so the old handle is never alive again;
    /// a slot whose generation would wrap is retired instead.
    /// </summary>
    /// <exception cref="InvalidOperationException">The entity is not alive, or a query is iterating.</exception>
    public void Destroy(Entity entity)
    {
        EnsureNotIterating("destroy an entity");
        ref EntityRecord record = ref RecordOf(entity);
        Entity moved = _archetypeById[record.ArchetypeId].RemoveRow(record.Row);
        if (!moved.IsNull)
        {
            _records[moved.Index].Row = record.Row;
        }

        record.Row = -1;
        EntityCount--;
        if (record.Generation == uint.MaxValue)
        {
            // Retired: a wrapped generation could make a stale handle alive again.
            return;
        }

        record.Generation++;
        if (_freeCount == _freeSlots.Length)
        {
            Array.Resize(ref _freeSlots, _freeSlots.Length * 2);
        }

        _freeSlots[_freeCount++] = entity.Index;
    }

    private Entity CreateIn(Archetype archetype, out int row)
    {
        int index;
        if (_freeCount > 0)
        {
            index = _freeSlots[--_freeCount];
        }
        else
        {
            EnsureSlotCapacity(_slotCount + 1);
            index = _slotCount++;
            _records[index].Generation = 1;
        }

        ref EntityRecord record = ref _records[index];
        var entity = new Entity(index, record.Generation);
        row = archetype.AddRow(entity);
        record.ArchetypeId = archetype.Id;
        record.Row = row;
        EntityCount++;
        return entity;
    }

    private void EnsureSlotCapacity(int required)
    {
        if (required > _records.Length)
        {
            // Slots at or past _slotCount are written in full before they are read, so skip zeroing.
            EntityRecord[] records = GC.AllocateUninitializedArray<EntityRecord>(Math.Max(required, _records.Length * 2));
            _records.AsSpan(0, _slotCount).CopyTo(records);
            _records = records;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Write<T>(Archetype archetype, int row, in T value)
        where T : unmanaged
    {
        Column<T> column = archetype.GetColumn<T>();
        column.Values[row] = value;
        column.MarkChanged(row, ChangeTick);
    }
}
