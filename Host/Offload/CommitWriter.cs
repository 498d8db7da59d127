using System.Runtime.InteropServices;
using SimHost.Host.Ecs;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// Writes a job's results back into the world: for each written component only the rows whose changed bit is set,
/// only for entities still alive with the same generation and still holding the component, and only from ranges
/// that succeeded. Committed rows are stamped changed at the world's current tick.
/// </summary>
/// <remarks>
/// A snapshot run is still valid when its archetype's structure version is the one recorded at the snapshot, or else
/// when its archetype rows hold exactly the entities the segment rows do (a compare of the handle columns). Then whole set
/// words, and runs of consecutive set bits, are copied as blocks, on the world's threads when it has several
/// (<see cref="CommitBlockWork"/>). Otherwise the world's structure changed under the run, and each flagged row is
/// looked up by its entity handle.
/// </remarks>
internal static class CommitWriter
{
    /// <summary>Commits the rows of <paramref name="succeeded"/> ranges of <paramref name="snapshot"/>.</summary>
    /// <param name="snapshot">The snapshot the job ran on.</param>
    /// <param name="succeeded">The ranges whose job completed; rows of any other range are never read.</param>
    /// <returns>Rows committed and rows skipped.</returns>
    public static CommitResult Commit(Snapshot snapshot, ReadOnlySpan<JobRange> succeeded)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var threads = snapshot.World.Threads;
        var blocks = snapshot.CommitWork;
        blocks.Begin(snapshot, RowPieces.SizeFor(snapshot.RowCount, threads.ThreadCount));
        var committed = 0;
        var skipped = 0;
        foreach (var range in succeeded)
        {
            var segment = snapshot.Segments.Segments[range.SegmentIndex];
            foreach (var run in snapshot.Runs)
            {
                if (run.SegmentIndex != range.SegmentIndex)
                {
                    continue;
                }

                var start = Math.Max(run.SegmentRow, range.RowStart);
                var end = Math.Min(run.SegmentRow + run.RowCount, range.RowEnd);
                if (start >= end)
                {
                    continue;
                }

                var piece = run with { ArchetypeRow = run.ArchetypeRow + (start - run.SegmentRow), SegmentRow = start, RowCount = end - start };
                if (StillMapsTo(piece, segment))
                {
                    committed += blocks.Add(piece);
                }
                else
                {
                    var (rowsCommitted, rowsSkipped) = CommitRows(piece, segment, snapshot);
                    committed += rowsCommitted;
                    skipped += rowsSkipped;
                }
            }
        }

        // Rows found by handle are written above, on this thread; the block-wise runs of every range are copied now,
        // together, on the world's threads.
        blocks.Run(threads);
        return new CommitResult(committed, skipped);
    }

    private static bool StillMapsTo(in SnapshotRun run, SharedSegment segment)
    {
        var archetype = run.Archetype;
        if ((long)run.ArchetypeRow + run.RowCount > archetype.Count)
        {
            return false;
        }

        // No row was added, removed or moved since the snapshot: the rows map without comparing 8 bytes a row.
        if (archetype.StructureVersion == run.StructureVersion)
        {
            return true;
        }

        var now = MemoryMarshal.Cast<Entity, ulong>(archetype.Entities.Slice(run.ArchetypeRow, run.RowCount));
        return now.SequenceEqual(segment.EntityHandles.Slice(run.SegmentRow, run.RowCount));
    }

    private static (int Committed, int Skipped) CommitRows(in SnapshotRun run, SharedSegment segment, Snapshot snapshot)
    {
        var columns = snapshot.Columns;
        var world = snapshot.World;
        var archetypes = world.Archetypes;
        var tick = world.ChangeTick;
        var handles = segment.EntityHandles;
        var committed = 0;
        var skipped = 0;
        for (var row = run.SegmentRow; row < run.SegmentRow + run.RowCount; row++)
        {
            var word = row / SegmentFormat.RowsPerChangedWord;
            var bit = 1UL << (row % SegmentFormat.RowsPerChangedWord);
            var anyFlagged = false;
            for (var column = 0; column < columns.WrittenCount && !anyFlagged; column++)
            {
                anyFlagged = (segment.ChangedWords(column)[word] & bit) != 0;
            }

            if (!anyFlagged)
            {
                continue;
            }

            var entity = new Entity(handles[row]);
            if (!world.IsAlive(entity))
            {
                skipped++;
                continue;
            }

            ref var record = ref world.RecordOf(entity);
            var archetype = archetypes[record.ArchetypeId];
            var wrote = false;
            var stripped = false;
            for (var column = 0; column < columns.WrittenCount; column++)
            {
                if ((segment.ChangedWords(column)[word] & bit) == 0)
                {
                    continue;
                }

                var index = archetype.ColumnIndex(columns.ComponentId(column));
                if (index < 0)
                {
                    stripped = true;
                    continue;
                }

                var size = columns.ElementSizeBytes(column);
                var target = archetype.Columns[index];
                target.WriteBytes(record.Row, segment.ColumnBytes(column).Slice(row * size, size));
                target.MarkChanged(record.Row, tick);
                wrote = true;
            }

            committed += wrote ? 1 : 0;
            skipped += stripped ? 1 : 0;
        }

        return (committed, skipped);
    }
}
