using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SimHost.Host.Persistence;

namespace SimHost.Host.Ecs;

/// <summary>Copying a world's whole state out for a checkpoint, and putting it back into an empty world.</summary>
public sealed partial class World
{
    /// <summary>
    /// Copies everything the next frame depends on: archetypes in creation order with their rows, entity handles,
    /// column bytes and changed ticks; the entity table; the free list; the change tick; registered defaults. Call it
    /// between frames, on the frame thread: it only copies, and the copy shares nothing with the world. With
    /// <paramref name="buffers"/>, the bytes are copied into the arrays of the previous capture (see <see cref="CaptureBuffers"/>).
    /// </summary>
    internal WorldImage CaptureImage(CaptureBuffers? buffers = null)
    {
        EnsureNotIterating("checkpoint the world");
        var componentIndexById = new Dictionary<int, int>();
        var components = new List<ComponentImage>();
        int IndexOf(int id)
        {
            if (!componentIndexById.TryGetValue(id, out var index))
            {
                index = components.Count;
                componentIndexById.Add(id, index);
                var registered = id < _defaultValues.Length ? _defaultValues[id] : null;
                components.Add(ComponentDescription.Of(ComponentType.FromId(id), registered is null ? null : [.. registered]));
            }

            return index;
        }

        var archetypes = new ArchetypeImage[_archetypes.Count];
        var copies = new CaptureCopies();
        for (var a = 0; a < archetypes.Length; a++)
        {
            var archetype = _archetypes[a];
            var rows = archetype.Count;
            var columns = archetype.Columns;
            var indexes = new int[columns.Length];
            var bytes = new ReadOnlyMemory<byte>[columns.Length];
            var ticks = new ReadOnlyMemory<byte>[columns.Length];
            var uniform = new uint?[columns.Length];
            var last = new uint[columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                var column = columns[c];
                indexes[c] = IndexOf(column.ComponentId);
                var values = Target(a, 1 + (2 * c), column.AsBytes(rows).Length, null, 0, out _);
                copies.AddValues(column, rows, values);
                bytes[c] = values;

                // A column a system stamped whole since its ticks were last read: the one tick is recorded, and the
                // stamp stays deferred. Otherwise reading the ticks applies a deferred stamp first, so the copy holds
                // the ticks readers see.
                if (column.TryGetPendingStampOfAllRows(rows, out var tick))
                {
                    uniform[c] = tick;
                }
                else
                {
                    var target = Target(a, 2 + (2 * c), rows * sizeof(uint), null, 0, out _);
                    _ = column.ChangedTicks;
                    copies.AddTicks(column, rows, target);
                    ticks[c] = target;
                }

                last[c] = column.LastChangedTick;
            }

            // The entity column changes only with the archetype's structure: unchanged since the previous capture
            // into the same array, it is not copied again.
            var entities = Target(a, 0, rows * Unsafe.SizeOf<Entity>(), archetype, archetype.StructureVersion, out var holdsEntities);
            if (!holdsEntities)
            {
                copies.AddEntities(archetype, rows, entities);
            }

            archetypes[a] = new ArchetypeImage
            {
                Components = indexes,
                Rows = rows,
                Entities = entities,
                Columns = bytes,
                ChangedTicks = ticks,
                UniformChangedTicks = uniform,
                LastChangedTicks = last,
            };
        }

        copies.Run(Threads);

        Memory<byte> Target(int archetype, int slot, int length, object? owner, long version, out bool holdsCurrent)
        {
            if (buffers is null)
            {
                holdsCurrent = false;
                return GC.AllocateUninitializedArray<byte>(length);
            }

            return buffers.Take(archetype, slot, length, owner, version, out holdsCurrent);
        }

        for (var id = 0; id < _defaultValues.Length; id++)
        {
            if (_defaultValues[id] is not null)
            {
                IndexOf(id);
            }
        }

        // The entity table changes only with the world's structure: unchanged since the previous capture, not copied.
        var holdsGenerations = false;
        var generations = buffers is null ? new uint[_slotCount] : buffers.TakeGenerations(_slotCount, this, Structure, out holdsGenerations);
        if (!holdsGenerations)
        {
            for (var slot = 0; slot < generations.Length; slot++)
            {
                generations[slot] = _records.Span[slot].Generation;
            }
        }

        return new WorldImage
        {
            ChangeTick = ChangeTick,
            Generations = generations,
            FreeSlots = _freeSlots.AsSpan(0, _freeCount).ToArray(),
            Components = [.. components],
            Archetypes = archetypes,
        };
    }

    /// <summary>
    /// Makes this empty world the world <paramref name="image"/> was taken from. <paramref name="types"/>[i] is this
    /// process's type for <c>image.Components[i]</c>. The image must have passed <see cref="WorldImageCheck"/>.
    /// </summary>
    internal void RestoreImage(WorldImage image, ComponentType[] types)
    {
        EnsureNotIterating("load a checkpoint into the world");
        for (var a = 1; a < image.Archetypes.Length; a++)
        {
            var mask = default(ComponentMask);
            foreach (var component in image.Archetypes[a].Components)
            {
                mask = mask.With(types[component].Id);
            }

            var archetype = GetOrCreateArchetype(mask);
            if (archetype.Id != a)
            {
                throw new CheckpointException(CheckpointError.InconsistentWorld, "manifest", $"archetype {a} has the same components as archetype {archetype.Id}");
            }
        }

        EnsureSlotCapacity(image.Generations.Length);
        for (var slot = 0; slot < image.Generations.Length; slot++)
        {
            _records.Span[slot] = new EntityRecord { ArchetypeId = 0, Row = -1, Generation = image.Generations[slot] };
        }

        var entityCount = 0;
        for (var a = 0; a < image.Archetypes.Length; a++)
        {
            var source = image.Archetypes[a];
            var archetype = _archetypes[a];
            if (source.Rows == 0)
            {
                continue;
            }

            var first = archetype.AddRows(source.Rows);
            var entities = MemoryMarshal.Cast<byte, Entity>(source.Entities.Span)[..source.Rows];
            entities.CopyTo(archetype.EntitySpan[first..]);
            for (var row = 0; row < entities.Length; row++)
            {
                ref var record = ref _records.Span[entities[row].Index];
                record.ArchetypeId = a;
                record.Row = first + row;
            }

            for (var c = 0; c < source.Components.Length; c++)
            {
                var column = archetype.GetColumn(types[source.Components[c]].Id);
                source.Columns[c].Span.CopyTo(column.AsBytes(source.Rows));
                if (source.UniformChangedTicks?[c] is { } tick)
                {
                    column.ChangedTicks[..source.Rows].Fill(tick);
                }
                else
                {
                    MemoryMarshal.Cast<byte, uint>(source.ChangedTicks[c].Span)[..source.Rows].CopyTo(column.ChangedTicks);
                }

                column.LastChangedTick = source.LastChangedTicks[c];
            }

            entityCount += source.Rows;
        }

        _slotCount = image.Generations.Length;
        if (_freeSlots.Length < image.FreeSlots.Length)
        {
            _freeSlots = new int[image.FreeSlots.Length];
        }

        image.FreeSlots.CopyTo(_freeSlots, 0);
        _freeCount = image.FreeSlots.Length;
        EntityCount = entityCount;
        for (var i = 0; i < types.Length; i++)
        {
            if (image.Components[i].DefaultValue is { } value)
            {
                DefaultBytes(types[i].Id);
                _defaultValues[types[i].Id] = [.. value];
            }
        }

        Volatile.Write(ref _changeTick, image.ChangeTick);
    }

    /// <summary>
    /// Makes this empty world the checkpoint <paramref name="loaded"/>, taking over its arrays (no copy). Every check
    /// has passed before (<see cref="CheckpointLoader"/>): this only creates the archetypes and hands the rows over.
    /// </summary>
    internal void AdoptLoaded(LoadedWorld loaded)
    {
        EnsureNotIterating("load a checkpoint into the world");
        for (var a = 1; a < loaded.Masks.Length; a++)
        {
            var archetype = GetOrCreateArchetype(loaded.Masks[a]);
            if (archetype.Id != a)
            {
                throw new CheckpointException(CheckpointError.InconsistentWorld, "manifest", $"archetype {a} has the same components as archetype {archetype.Id}");
            }
        }

        for (var a = 0; a < loaded.Masks.Length; a++)
        {
            _archetypes[a].AdoptRows(loaded.Entities[a], loaded.Columns[a]);
        }

        _records = loaded.Records;
        _slotCount = loaded.SlotCount;
        _freeSlots = loaded.FreeSlots;
        _freeCount = loaded.FreeCount;
        EntityCount = loaded.EntityCount;
        for (var i = 0; i < loaded.Types.Length; i++)
        {
            if (loaded.Components[i].DefaultValue is { } value)
            {
                DefaultBytes(loaded.Types[i].Id);
                _defaultValues[loaded.Types[i].Id] = [.. value];
            }
        }

        Volatile.Write(ref _changeTick, loaded.ChangeTick);
    }

    /// <summary>The version of the world's structure: equal values mean no entity was created, destroyed or moved in between.</summary>
    internal WorldStructure Structure
    {
        get
        {
            long versions = 0;
            foreach (var archetype in _archetypes)
            {
                versions += archetype.StructureVersion;
            }

            return new WorldStructure(versions, _archetypes.Count, _slotCount, _freeCount);
        }
    }

    /// <summary>Whether the world is as <c>new World()</c> left it: no entity, no archetype but the empty one.</summary>
    internal bool IsPristine => EntityCount == 0 && _slotCount == 0 && _archetypes.Count == 1;
}
