using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using SimHost.Host.Ecs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Persistence;

/// <summary>
/// The fast loader's plans for each kind of file (the entity table, the free list, an archetype's segment): its header
/// and column table read and validated first, then the arrays its rows will fill created, then its bytes laid out,
/// in file order, as regions of a <see cref="ParallelFileRead"/>.
/// </summary>
internal static unsafe partial class CheckpointLoader
{
    private static bool PlanEntityTable(
        ParallelFileRead read, LoadPlacement placement, int file, (SegmentHeader Header, SegmentPlan Plan) segment, int slots, RetiredCount retired,
        out RowBuffer<EntityRecord>? records)
    {
        // The handles (8 bytes a slot) are read into the tail of the records (12 bytes a slot) and turned into records
        // in place, front to back, as they are hashed: record i ends at or before handle i + 1 begins, so no handle is
        // overwritten before it is read, and the table needs no memory beyond the records.
        var length = LoadPlacement.RecordSlots(slots);
        var (table, first) = placement.Place<EntityRecord>(length);
        var handles = (long)length * sizeof(EntityRecord) - ((long)slots * sizeof(ulong));
        var converter = new ParallelFileRead.ChunkConverter((chunk, bytes, offset) => ToRecords((ulong*)chunk, bytes / sizeof(ulong), (int)(offset / sizeof(ulong)), (EntityRecord*)first, retired));
        records = table;
        return AddGap(read, file, segment.Plan.EntityColumnOffset) && read.AddRegion(file, (long)slots * sizeof(ulong), (byte*)first + handles, converter);
    }

    /// <summary>
    /// Turns handles into records, counting the retired slots (generation <see cref="uint.MaxValue"/>) as it goes, for
    /// <see cref="Connect"/>. Called under the entity table's hashing turn, one chunk at a time, in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ToRecords(ulong* handles, int count, int firstSlot, EntityRecord* records, RetiredCount retired)
    {
        long retiredHere = 0;
        for (var i = 0; i < count; i++)
        {
            var handle = handles[i];
            var slot = firstSlot + i;
            if ((uint)handle != (uint)slot)
            {
                return false;
            }

            var generation = (uint)(handle >> 32);
            retiredHere += generation == uint.MaxValue ? 1 : 0;
            records[slot] = new EntityRecord { ArchetypeId = 0, Row = -1, Generation = generation };
        }

        retired.Slots += retiredHere;
        return true;
    }

    /// <summary>The entity table's retired slots, counted while its handles become records.</summary>
    private sealed class RetiredCount
    {
        public long Slots { get; set; }
    }

    private static bool PlanFreeSlots(ParallelFileRead read, int file, (SegmentHeader Header, SegmentPlan Plan) segment, int count, out int[]? freeSlots)
    {
        var slots = new int[Math.Max(16, count)];
        var converter = new ParallelFileRead.ChunkConverter((chunk, bytes, offset) =>
        {
            var handles = new ReadOnlySpan<ulong>(chunk, bytes / sizeof(ulong));
            var firstSlot = (int)(offset / sizeof(ulong));
            for (var i = 0; i < handles.Length; i++)
            {
                slots[firstSlot + i] = (int)(uint)handles[i];
            }

            return true;
        });
        freeSlots = slots;
        return AddGap(read, file, segment.Plan.EntityColumnOffset) && read.AddRegion(file, (long)count * sizeof(ulong), null, converter);
    }

    private static bool IsHandleSegment((SegmentHeader Header, SegmentPlan Plan) segment, int rows) =>
        segment.Header.RowCount == (uint)rows && segment.Plan.RowCapacity == rows && segment.Plan.ColumnCount == 0
        && segment.Plan.EntityColumnLengthBytes == (long)rows * sizeof(ulong);

    /// <summary>Whether an archetype's segment holds exactly the rows and components the manifest says: checked for every file before any array exists.</summary>
    private static bool HoldsArchetype((SegmentHeader Header, SegmentPlan Plan) segment, CheckpointManifest manifest, int index)
    {
        var archetype = manifest.Archetypes[index];
        var (header, plan) = segment;
        var count = archetype.Components.Length;
        if (header.RowCount != (uint)archetype.Rows || plan.RowCapacity != archetype.Rows || plan.ColumnCount != 2 * count)
        {
            return false;
        }

        for (var c = 0; c < count; c++)
        {
            if (!CheckpointSegment.HoldsComponent(plan, c, manifest.Components[archetype.Components[c]]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Creates an archetype's entity handles and columns (its file checked by <see cref="HoldsArchetype"/>) and adds its rows, in file order, to the read.</summary>
    private static bool PlanArchetype(
        ParallelFileRead read, LoadPlacement placement, int file, (SegmentHeader Header, SegmentPlan Plan) segment, CheckpointManifest manifest, int index,
        ComponentType[] types, out RowBuffer<Entity> entities, out Column[] columns)
    {
        var archetype = manifest.Archetypes[index];
        var rows = archetype.Rows;
        var count = archetype.Components.Length;
        var plan = segment.Plan;

        // The regions rows are read into, in file order; what lies between them (padding, changed bitsets) is only hashed.
        var regions = new (long Offset, long Length, int Column)[1 + (2 * count)];
        regions[0] = (plan.EntityColumnOffset, plan.EntityColumnLengthBytes, -1);
        for (var c = 0; c < count; c++)
        {
            var data = plan.Column(2 * c);
            var tick = plan.Column((2 * c) + 1);
            regions[1 + (2 * c)] = (data.ColumnOffset, data.ColumnLengthBytes, 2 * c);
            regions[2 + (2 * c)] = (tick.ColumnOffset, tick.ColumnLengthBytes, (2 * c) + 1);
        }

        Array.Sort(regions, static (x, y) => x.Offset.CompareTo(y.Offset));
        var addresses = new nint[1 + (2 * count)];
        (entities, addresses[0]) = placement.Place<Entity>(rows);
        columns = new Column[count];
        for (var c = 0; c < count; c++)
        {
            (columns[c], addresses[1 + (2 * c)], addresses[2 + (2 * c)]) = placement.PlaceColumn(types[archetype.Components[c]], rows);
            columns[c].LastChangedTick = archetype.LastChangedTicks[c];
        }

        foreach (var (offset, length, column) in regions)
        {
            var bytes = column switch
            {
                -1 => (long)rows * sizeof(Entity),
                _ when column % 2 == 0 => columns[column / 2].AsBytes(rows).Length,
                _ => (long)rows * sizeof(uint),
            };
            // A region before the end of the last (overlapping, or out of order) makes the gap negative: refused.
            if (bytes != length || !AddGap(read, file, offset) || !read.AddRegion(file, length, (byte*)addresses[1 + column]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Readies the last pages of every array the load fills (<see cref="BulkArray.PrepareTail"/>), once all exist.</summary>
    private static void PrepareTails(RowBuffer<EntityRecord>? records, RowBuffer<Entity>[] entities, Column[][] columns)
    {
        if (records is { } table)
        {
            BulkArray.PrepareTail(MemoryMarshal.AsBytes(table.Span));
        }

        for (var a = 0; a < entities.Length; a++)
        {
            foreach (var column in columns[a] ?? [])
            {
                BulkArray.PrepareTail(column.AsBytes(entities[a].Length));
                BulkArray.PrepareTail(MemoryMarshal.AsBytes(column.ChangedTicks));
            }

            BulkArray.PrepareTail(MemoryMarshal.AsBytes(entities[a].Span));
        }
    }

    /// <summary>Adds the bytes from the file's next offset up to <paramref name="offset"/>, to be hashed only.</summary>
    private static bool AddGap(ParallelFileRead read, int file, long offset) => read.AddRegion(file, offset - read.NextOffset(file), null);

    /// <summary>Reads and validates a segment's header and column table, which lie before every region of rows.</summary>
    /// <returns>The segment and a copy of the bytes read (its header and column table), or null when a rule is broken.</returns>
    private static ((SegmentHeader Header, SegmentPlan Plan) Segment, byte[] Head)? ReadPlan(SafeFileHandle handle, long lengthBytes, string name, byte[] head, ulong frame)
    {
        if (!ParallelFileRead.TryReadAt(handle, head.AsSpan(0, SegmentFormat.HeaderSizeBytes), 0))
        {
            return null;
        }

        var header = SegmentValidator.ValidateHeader(name, lengthBytes, head);
        if (header.FrameId != frame)
        {
            return null;
        }

        var tableEnd = (long)header.ColumnTableOffset + ((long)header.ColumnCount * SegmentFormat.ColumnEntrySizeBytes);
        if (tableEnd > head.Length || !ParallelFileRead.TryReadAt(handle, head.AsSpan(SegmentFormat.HeaderSizeBytes, (int)tableEnd - SegmentFormat.HeaderSizeBytes), SegmentFormat.HeaderSizeBytes))
        {
            return null;
        }

        var plan = SegmentValidator.ValidateTable(name, header, head.AsSpan((int)header.ColumnTableOffset, (int)(tableEnd - (long)header.ColumnTableOffset)), expected: null);
        return plan.EntityColumnOffset >= tableEnd && (plan.ColumnCount == 0 || MinColumnOffset(plan) >= tableEnd)
            ? ((header, plan), head[..(int)tableEnd])
            : null;
    }

    private static long MinColumnOffset(SegmentPlan plan)
    {
        var min = long.MaxValue;
        for (var i = 0; i < plan.ColumnCount; i++)
        {
            min = Math.Min(min, Math.Min(plan.Column(i).ColumnOffset, plan.Column(i).ChangedOffset));
        }

        return min;
    }
}
