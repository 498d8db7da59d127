namespace SimHost.Host.Ecs;

/// <summary>Adding and removing components: moves between archetypes along cached transition edges.</summary>
public sealed partial class World
{
    /// <summary>
    /// Adds component <typeparamref name="T"/> with its registered default value (see <see cref="Register{T}"/>).
    /// If the entity already has it, the value is overwritten and the row marked changed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The entity is not alive, or a query is iterating.</exception>
    public void Add<T>(Entity entity)
        where T : unmanaged => Add(entity, GetDefault<T>());

    /// <summary>
    /// Adds component <typeparamref name="T"/> with <paramref name="value"/>, moving the entity to the archetype with
    /// the component, and marks the row changed. If the entity already has it, this is a <see cref="Set{T}"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The entity is not alive, or a query is iterating.</exception>
    public void Add<T>(Entity entity, in T value)
        where T : unmanaged
    {
        ref EntityRecord record = ref RecordOf(entity);
        int id = ComponentTypeCache<T>.Id;
        if (_archetypeById[record.ArchetypeId].ColumnIndex(id) < 0)
        {
            EnsureNotIterating($"add {ComponentTypeCache<T>.Type.Name} to {entity}");
            Move(ref record, entity, ArchetypeWith(_archetypeById[record.ArchetypeId], id));
        }

        Column<T> column = _archetypeById[record.ArchetypeId].GetColumn<T>();
        column.Values[record.Row] = value;
        column.MarkChanged(record.Row, ChangeTick);
    }

    /// <summary>
    /// Removes component <typeparamref name="T"/>, moving the entity to the archetype without it. The values and
    /// changed ticks of its other components move along: a move is not a change.
    /// </summary>
    /// <returns>Whether the entity had the component.</returns>
    /// <exception cref="InvalidOperationException">The entity is not alive, or a query is iterating.</exception>
    public bool Remove<T>(Entity entity)
        where T : unmanaged => Remove(entity, ComponentTypeCache<T>.Id);

    /// <summary>Removes the component with id <paramref name="componentId"/>; see <see cref="Remove{T}(Entity)"/>.</summary>
    internal bool Remove(Entity entity, int componentId)
    {
        ref EntityRecord record = ref RecordOf(entity);
        Archetype archetype = _archetypeById[record.ArchetypeId];
        if (archetype.ColumnIndex(componentId) < 0)
        {
            return false;
        }

        EnsureNotIterating($"remove {ComponentType.FromId(componentId).Name} from {entity}");
        Archetype? target = archetype.GetRemoveEdge(componentId);
        if (target is null)
        {
            target = GetOrCreateArchetype(archetype.Mask.Without(componentId));
            archetype.SetRemoveEdge(componentId, target);
        }

        Move(ref record, entity, target);
        return true;
    }

    /// <summary>Adds or overwrites a component given as raw bytes and marks it changed (command playback).</summary>
    internal void AddBytes(Entity entity, int componentId, ReadOnlySpan<byte> value)
    {
        ref EntityRecord record = ref RecordOf(entity);
        if (_archetypeById[record.ArchetypeId].ColumnIndex(componentId) < 0)
        {
            EnsureNotIterating($"add {ComponentType.FromId(componentId).Name} to {entity}");
            Move(ref record, entity, ArchetypeWith(_archetypeById[record.ArchetypeId], componentId));
        }

        Column column = _archetypeById[record.ArchetypeId].GetColumn(componentId);
        column.WriteBytes(record.Row, value);
        column.MarkChanged(record.Row, ChangeTick);
    }

    /// <summary>Overwrites a component given as raw bytes and marks it changed (command playback).</summary>
    internal void SetBytes(Entity entity, int componentId, ReadOnlySpan<byte> value)
    {
        ref EntityRecord record = ref RecordOf(entity);
        if (_archetypeById[record.ArchetypeId].ColumnIndex(componentId) < 0)
        {
            ThrowMissingComponent(entity, ComponentType.FromId(componentId));
        }

        Column column = _archetypeById[record.ArchetypeId].GetColumn(componentId);
        column.WriteBytes(record.Row, value);
        column.MarkChanged(record.Row, ChangeTick);
    }

    internal Archetype ArchetypeWith(Archetype archetype, int componentId)
    {
        if (archetype.ColumnIndex(componentId) >= 0)
        {
            return archetype;
        }

        Archetype? target = archetype.GetAddEdge(componentId);
        if (target is null)
        {
            target = GetOrCreateArchetype(archetype.Mask.With(componentId));
            archetype.SetAddEdge(componentId, target);
        }

        return target;
    }

    internal Archetype GetOrCreateArchetype(ComponentMask mask)
    {
        if (!_archetypesByMask.TryGetValue(mask, out Archetype? archetype))
        {
            archetype = new Archetype(this, _archetypes.Count, mask);
            _archetypes.Add(archetype);
            if (archetype.Id == _archetypeById.Length)
            {
                Array.Resize(ref _archetypeById, _archetypeById.Length * 2);
            }

            _archetypeById[archetype.Id] = archetype;
            _archetypesByMask.Add(mask, archetype);
        }

        return archetype;
    }

    /// <summary>Moves an entity's row to <paramref name="target"/>, copying the columns both archetypes share.</summary>
    private void Move(ref EntityRecord record, Entity entity, Archetype target)
    {
        Archetype source = _archetypeById[record.ArchetypeId];
        int sourceRow = record.Row;
        int targetRow = target.AddRow(entity);
        Column[] columns = source.Columns;
        for (int i = 0; i < columns.Length; i++)
        {
            int targetColumn = target.ColumnIndex(columns[i].ComponentId);
            if (targetColumn >= 0)
            {
                columns[i].CopyRowTo(sourceRow, target.Columns[targetColumn], targetRow);
            }
        }

        Entity moved = source.RemoveRow(sourceRow);
        if (!moved.IsNull)
        {
            _records.Span[moved.Index].Row = sourceRow;
        }

        record.ArchetypeId = target.Id;
        record.Row = targetRow;
    }
}
