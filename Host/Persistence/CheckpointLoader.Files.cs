using System.Runtime.InteropServices;
using SimHost.Host.Ecs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Persistence;

/// <summary>
/// The fast loader's file readers: the entity table, the free list and an archetype's segment, each read straight into
/// the arrays the world will keep, its header and column table validated first.
/// </summary>
internal static partial class CheckpointLoader
{
    private static bool ReadEntityTable(CheckpointFileReader reader, string name, byte[] head, ulong frame, int slots, out EntityRecord[]? records)
    {
        records = null;
        if (ReadPlan(reader, name, head, frame) is not { } segment || !IsHandleSegment(segment, slots) || !reader.TrySkip(segment.Plan.EntityColumnOffset - reader.Position))
        {
            return false;
        }

        records = BulkArray.AllocateToFill<EntityRecord>(Math.Max(64, slots));
        records.AsSpan(slots).Clear();

        var handles = MemoryMarshal.Cast<byte, ulong>(head.AsSpan());
        for (var first = 0; first < slots; first += handles.Length)
        {
            var chunk = handles[..Math.Min(handles.Length, slots - first)];
            if (!reader.TryRead(MemoryMarshal.AsBytes(chunk)))
            {
                return false;
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                if ((uint)chunk[i] != (uint)(first + i))
                {
                    return false;
                }

                records[first + i] = new EntityRecord { ArchetypeId = 0, Row = -1, Generation = (uint)(chunk[i] >> 32) };
            }
        }

        return true;
    }

    private static bool ReadFreeSlots(CheckpointFileReader reader, string name, byte[] head, ulong frame, int count, out int[]? freeSlots)
    {
        freeSlots = null;
        if (ReadPlan(reader, name, head, frame) is not { } segment || !IsHandleSegment(segment, count) || !reader.TrySkip(segment.Plan.EntityColumnOffset - reader.Position))
        {
            return false;
        }

        freeSlots = new int[Math.Max(16, count)];

        var handles = MemoryMarshal.Cast<byte, ulong>(head.AsSpan());
        for (var first = 0; first < count; first += handles.Length)
        {
            var chunk = handles[..Math.Min(handles.Length, count - first)];
            if (!reader.TryRead(MemoryMarshal.AsBytes(chunk)))
            {
                return false;
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                freeSlots[first + i] = (int)(uint)chunk[i];
            }
        }

        return true;
    }

    private static bool IsHandleSegment((SegmentHeader Header, SegmentPlan Plan) segment, int rows) =>
        segment.Header.RowCount == (uint)rows && segment.Plan.RowCapacity == rows && segment.Plan.ColumnCount == 0
        && segment.Plan.EntityColumnOffset >= segment.Plan.ColumnTableOffset;

    private static bool ReadArchetype(
        CheckpointFileReader reader, CheckpointManifest manifest, int index, ComponentType[] types, byte[] head, out Entity[] entities, out Column[] columns)
    {
        var archetype = manifest.Archetypes[index];
        var rows = archetype.Rows;
        var count = archetype.Components.Length;
        entities = [];
        columns = [];
        if (ReadPlan(reader, archetype.File, head, CheckpointSegment.FrameOf(manifest)) is not { } segment)
        {
            return false;
        }

        var (header, plan) = segment;
        if (header.RowCount != (uint)rows || plan.RowCapacity != rows || plan.ColumnCount != 2 * count)
        {
            return false;
        }

        // The regions rows are read into, in file order; what lies between them (padding, changed bitsets) is skipped.
        var regions = new (long Offset, long Length, int Column)[1 + (2 * count)];
        regions[0] = (plan.EntityColumnOffset, plan.EntityColumnLengthBytes, -1);
        for (var c = 0; c < count; c++)
        {
            var component = manifest.Components[archetype.Components[c]];
            if (!CheckpointSegment.HoldsComponent(plan, c, component))
            {
                return false;
            }

            var data = plan.Column(2 * c);
            var tick = plan.Column((2 * c) + 1);
            regions[1 + (2 * c)] = (data.ColumnOffset, data.ColumnLengthBytes, 2 * c);
            regions[2 + (2 * c)] = (tick.ColumnOffset, tick.ColumnLengthBytes, (2 * c) + 1);
        }

        Array.Sort(regions, static (x, y) => x.Offset.CompareTo(y.Offset));
        entities = BulkArray.AllocateToFill<Entity>(rows);
        columns = new Column[count];
        for (var c = 0; c < count; c++)
        {
            columns[c] = types[archetype.Components[c]].CreateUninitializedColumn(rows);
            columns[c].LastChangedTick = archetype.LastChangedTicks[c];
        }

        foreach (var (offset, length, column) in regions)
        {
            var destination = column switch
            {
                -1 => MemoryMarshal.AsBytes(entities.AsSpan()),
                _ when column % 2 == 0 => columns[column / 2].AsBytes(rows),
                _ => MemoryMarshal.AsBytes(columns[column / 2].ChangedTicks.AsSpan(0, rows)),
            };
            if (offset < reader.Position || destination.Length != length || !reader.TrySkip(offset - reader.Position) || !reader.TryRead(destination))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads and validates a segment's header and column table, which lie before every region of rows.</summary>
    private static (SegmentHeader Header, SegmentPlan Plan)? ReadPlan(CheckpointFileReader reader, string name, byte[] head, ulong frame)
    {
        if (!reader.TryRead(head.AsSpan(0, SegmentFormat.HeaderSizeBytes)))
        {
            return null;
        }

        var header = SegmentValidator.ValidateHeader(name, reader.LengthBytes, head);
        if (header.FrameId != frame)
        {
            return null;
        }

        var tableEnd = (long)header.ColumnTableOffset + ((long)header.ColumnCount * SegmentFormat.ColumnEntrySizeBytes);
        if (tableEnd > head.Length || !reader.TryRead(head.AsSpan(SegmentFormat.HeaderSizeBytes, (int)tableEnd - SegmentFormat.HeaderSizeBytes)))
        {
            return null;
        }

        var plan = SegmentValidator.ValidateTable(name, header, head.AsSpan((int)header.ColumnTableOffset, (int)(tableEnd - (long)header.ColumnTableOffset)), expected: null);
        return plan.EntityColumnOffset >= tableEnd && (plan.ColumnCount == 0 || MinColumnOffset(plan) >= tableEnd) ? (header, plan) : null;
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
