namespace SimHost.Host.Ecs;

/// <summary>Reserving room for entities and creating them in bulk.</summary>
public sealed partial class World
{
    /// <summary>
    /// Makes room for <paramref name="count"/> more entities of the blueprint's component set (its archetype's rows
    /// and the world's entity slots) in one growth, so creating them one by one or in bulk allocates nothing more.
    /// Entities created with <c>Create&lt;T1, ...&gt;</c> of the same components land in the same archetype.
    /// The reserved memory is written (zeroed) here, so the creations after it do not pay first-touch page faults.
    /// </summary>
    /// <exception cref="InvalidOperationException">A query is iterating, or the blueprint belongs to another world.</exception>
    public void EnsureCapacity(Blueprint blueprint, int count)
    {
        ArgumentNullException.ThrowIfNull(blueprint);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        EnsureNotIterating("reserve entities");
        EnsureOwnBlueprint(blueprint);
        Archetype archetype = blueprint.Archetype;
        archetype.EnsureCapacity(archetype.Count + count);
        int fresh = Math.Max(0, count - _freeCount);
        if (_slotCount + fresh > _records.Length)
        {
            // Exactly what was asked for: a reservation is a promise of the final size, not a guess to double.
            ResizeRecords(_slotCount + fresh);
        }

        // Touch the reserved memory now: fresh pages fault on first write, which would otherwise land on creation.
        archetype.Commit(archetype.Count, count);
        _records.Span.Slice(_slotCount, fresh).Clear();
    }

    /// <summary>
    /// Creates <paramref name="count"/> entities from a blueprint. Returns the new rows as a chunk: their handles
    /// (<see cref="Chunk.Entities"/>) and component spans (<see cref="Chunk.Span{T}"/>) to write per-entity values in
    /// the same pass. The rows are already marked changed; the chunk is valid until the next structural change.
    /// </summary>
    /// <returns>The new rows, in creation order.</returns>
    /// <exception cref="InvalidOperationException">A query is iterating, or the blueprint belongs to another world.</exception>
    public Chunk CreateMany(int count, Blueprint blueprint)
    {
        ArgumentNullException.ThrowIfNull(blueprint);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        EnsureNotIterating("create entities");
        EnsureOwnBlueprint(blueprint);
        Archetype archetype = blueprint.Archetype;
        int firstRow = AddRows(archetype, count, blueprint);
        AssignSlots(archetype, firstRow, count, handles: []);
        return new Chunk(archetype, firstRow, count);
    }

    /// <summary>
    /// Creates one entity per element of <paramref name="entities"/> from a blueprint and writes their handles there.
    /// Rows are reserved once and each column is filled with one span operation. Returns the new rows as a chunk, as
    /// <see cref="CreateMany(int, Blueprint)"/> does.
    /// </summary>
    /// <returns>The new rows, in the order of <paramref name="entities"/>.</returns>
    /// <exception cref="InvalidOperationException">A query is iterating, or the blueprint belongs to another world.</exception>
    public Chunk CreateMany(Span<Entity> entities, Blueprint blueprint)
    {
        ArgumentNullException.ThrowIfNull(blueprint);
        EnsureNotIterating("create entities");
        EnsureOwnBlueprint(blueprint);
        Archetype archetype = blueprint.Archetype;
        int count = entities.Length;
        int firstRow = AddRows(archetype, count, blueprint);
        AssignSlots(archetype, firstRow, count, entities);
        return new Chunk(archetype, firstRow, count);
    }

    private void EnsureOwnBlueprint(Blueprint blueprint)
    {
        if (blueprint.World != this)
        {
            throw new InvalidOperationException("The blueprint was built for another world; create it with this world's Blueprint().");
        }
    }

    // Reserves the rows in one growth and fills each column with the blueprint's value, stamped at the current tick.
    private int AddRows(Archetype archetype, int count, Blueprint blueprint)
    {
        if (count == 0)
        {
            return archetype.Count;
        }

        int firstRow = archetype.AddRows(count);
        Column[] columns = archetype.Columns;
        uint tick = ChangeTick;
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i].Fill(firstRow, count, blueprint.DefaultBytes(i));
            columns[i].MarkChanged(firstRow, count, tick);
        }

        return firstRow;
    }

    // Gives rows [firstRow, +count) entity slots (free ones first, then fresh indices in one block), writing each handle
    // to the entity column and, when given, the caller's span in the same pass.
    private void AssignSlots(Archetype archetype, int firstRow, int count, Span<Entity> handles)
    {
        if (count == 0)
        {
            return;
        }

        Span<Entity> rowEntities = archetype.EntitySpan.Slice(firstRow, count);
        bool hasHandles = !handles.IsEmpty;
        int reused = Math.Min(_freeCount, count);
        for (int i = 0; i < reused; i++)
        {
            int index = _freeSlots[--_freeCount];
            ref EntityRecord record = ref _records.Span[index];
            record.ArchetypeId = archetype.Id;
            record.Row = firstRow + i;
            var entity = new Entity(index, record.Generation);
            rowEntities[i] = entity;
            if (hasHandles)
            {
                handles[i] = entity;
            }
        }

        int fresh = count - reused;
        EnsureSlotCapacity(_slotCount + fresh);
        Span<EntityRecord> records = _records.Span.Slice(_slotCount, fresh);
        int firstIndex = _slotCount;
        int rowBase = firstRow + reused;
        Span<Entity> freshRowEntities = rowEntities.Slice(reused, fresh);
        int archetypeId = archetype.Id;
        for (int i = 0; i < records.Length; i++)
        {
            records[i] = new EntityRecord { ArchetypeId = archetypeId, Row = rowBase + i, Generation = 1 };
            freshRowEntities[i] = new Entity(firstIndex + i, 1);
        }

        if (hasHandles)
        {
            freshRowEntities.CopyTo(handles[reused..]);
        }

        _slotCount += fresh;
        EntityCount += count;
    }
}
