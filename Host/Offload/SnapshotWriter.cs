using System.Runtime.InteropServices;
using SimHost.Host.Ecs;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// Copies the rows an offloaded system's query matches into its segments: per archetype run, one block copy of the
/// entity handles (skipped when the segment already holds them from the last frame) and one per column, never per
/// entity; with several world threads (<see cref="World.Threads"/>) and enough rows, the runs are cut into 64-row
/// aligned pieces copied at once (<see cref="SnapshotCopyWork"/>). Clears the written columns' changed bitsets, so
/// whatever a job flags is what it changed, and records the runs so commit can copy back block-wise.
/// </summary>
internal static class SnapshotWriter
{
    /// <summary>Takes the snapshot of <paramref name="query"/>'s rows for frame <paramref name="frameId"/>.</summary>
    /// <param name="query">The system's query; it must require every column's component.</param>
    /// <param name="snapshot">The system's snapshot; its segments grow if the rows outgrow them.</param>
    /// <param name="frameId">The frame, stored in every segment's header.</param>
    /// <returns>The number of rows copied.</returns>
    /// <exception cref="InvalidOperationException">A matched archetype lacks a column's component.</exception>
    /// <exception cref="SharedMemoryLimitException">The rows do not fit the shared-memory limits.</exception>
    public static int Write(Query query, Snapshot snapshot, ulong frameId)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(snapshot);
        var chunks = snapshot.GatherChunks(query, out var rowCount);
        snapshot.Segments.EnsureCapacity(rowCount);
        snapshot.Begin(rowCount, frameId);

        var segments = snapshot.Segments.Segments;
        var perSegment = snapshot.Segments.RowCapacityPerSegment;
        var threads = snapshot.World.Threads;
        var copy = snapshot.CopyWork;
        copy.Begin(snapshot, RowPieces.SizeFor(rowCount, threads.ThreadCount));
        var next = 0L;
        foreach (var chunk in chunks)
        {
            RequireColumns(chunk.Archetype, snapshot);
            var copied = 0;
            while (copied < chunk.Length)
            {
                // A run ends at the chunk's end or at the segment's end, whichever comes first.
                var segmentIndex = (int)(next / perSegment);
                var segmentRow = (int)(next % perSegment);
                var count = Math.Min(chunk.Length - copied, perSegment - segmentRow);
                var run = new SnapshotRun(chunk.Archetype, chunk.Start + copied, segmentIndex, segmentRow, count, chunk.Archetype.StructureVersion);
                copy.Add(run, copyEntities: !snapshot.HoldsEntitiesOf(run));
                snapshot.AddRun(run);
                copied += count;
                next += count;
            }
        }

        // The runs are known first (the entity-handle check compares them in order); their bytes are then copied on the
        // world's threads, piece by piece, exactly as one thread would copy them.
        copy.Run(threads);

        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var rows = snapshot.RowsPerSegment[i];
            segment.RowCount = rows;
            segment.FrameId = frameId;
            for (var column = 0; column < snapshot.Columns.WrittenCount; column++)
            {
                segment.ChangedWords(column)[..SegmentFormat.ChangedWordCount(rows)].Clear();
            }
        }

        return rowCount;
    }

    /// <summary>
    /// Copies a range's rows from the world again and clears its changed bits, undoing whatever a failed job left
    /// there. Valid while the world still holds the snapshot's rows (nothing structural has run since).
    /// </summary>
    /// <param name="snapshot">The snapshot the range belongs to.</param>
    /// <param name="range">The range to restore.</param>
    public static void Recopy(Snapshot snapshot, in JobRange range)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var segment = snapshot.Segments.Segments[range.SegmentIndex];
        foreach (var run in snapshot.Runs)
        {
            if (run.SegmentIndex != range.SegmentIndex)
            {
                continue;
            }

            var start = Math.Max(run.SegmentRow, range.RowStart);
            var end = Math.Min(run.SegmentRow + run.RowCount, range.RowEnd);
            if (start < end)
            {
                var offset = start - run.SegmentRow;
                CopyRun(run with { ArchetypeRow = run.ArchetypeRow + offset, SegmentRow = start, RowCount = end - start }, segment, snapshot.Columns, copyEntities: true, stream: false);
            }
        }

        // Ranges start on a word boundary, so their words are theirs alone.
        var firstWord = range.RowStart / SegmentFormat.RowsPerChangedWord;
        var words = SegmentFormat.ChangedWordCount(range.RowCount);
        for (var column = 0; column < snapshot.Columns.WrittenCount; column++)
        {
            segment.ChangedWords(column).Slice(firstWord, words).Clear();
        }
    }

    /// <summary>Copies the rows of <paramref name="run"/>: its entity handles when <paramref name="copyEntities"/>, and every column.</summary>
    internal static void CopyRun(in SnapshotRun run, SharedSegment segment, SnapshotColumns columns, bool copyEntities, bool stream)
    {
        if (copyEntities)
        {
            var entities = MemoryMarshal.Cast<Entity, ulong>(run.Archetype.Entities.Slice(run.ArchetypeRow, run.RowCount));
            entities.CopyTo(segment.EntityHandles.Slice(run.SegmentRow, run.RowCount));
        }

        for (var column = 0; column < columns.Count; column++)
        {
            var size = columns.ElementSizeBytes(column);
            var source = run.Archetype.GetBytes(columns.ComponentId(column)).Slice(run.ArchetypeRow * size, run.RowCount * size);
            Snapshot.CopyBlock(source, segment.ColumnBytes(column).Slice(run.SegmentRow * size, run.RowCount * size), stream);
        }
    }

    internal static void RequireColumns(Archetype archetype, Snapshot snapshot)
    {
        var columns = snapshot.Columns;
        for (var column = 0; column < columns.Count; column++)
        {
            if (!archetype.Has(columns.ComponentId(column)))
            {
                throw new InvalidOperationException(
                    $"Offloaded system '{snapshot.Segments.SystemName}' matched {archetype}, which has no {columns.Components[column].Name}; its query must require every component it reads or writes.");
            }
        }
    }
}
