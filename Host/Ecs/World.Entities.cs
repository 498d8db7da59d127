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
            _records.Span[moved.Index].Row = record.Row;
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
            _records.Span[index].Generation = 1;
        }

        ref EntityRecord record = ref _records.Span[index];
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
            ResizeRecords(Math.Max(required, _records.Length * 2));
        }
    }

    private void ResizeRecords(int capacity)
    {
        // Slots at or past _slotCount are written in full before they are read, so skip zeroing.
        EntityRecord[] records = GC.AllocateUninitializedArray<EntityRecord>(capacity);
        _records.Span[.._slotCount].CopyTo(records);
        _records.Replace(records);
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
