using System.Numerics;
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
/// when its archetype rows hold exactly the entities the segment rows do (a compare of the handle columns). Then whole set words, and runs of consecutive set bits, are copied as blocks.
/// Otherwise the world's structure changed under the run, and each flagged row is looked up by its entity handle.
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
                    committed += CommitBlocks(piece, segment, snapshot);
                }
                else
                {
                    var (rowsCommitted, rowsSkipped) = CommitRows(piece, segment, snapshot);
                    committed += rowsCommitted;
                    skipped += rowsSkipped;
                }
            }
        }

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

    /// <summary>The rows of <paramref name="run"/> in word <paramref name="word"/>, as a mask over that word.</summary>
    private static ulong RunMask(in SnapshotRun run, int word)
    {
        var wordStart = word * SegmentFormat.RowsPerChangedWord;
        var from = Math.Max(run.SegmentRow, wordStart) - wordStart;
        var to = Math.Min(run.SegmentRow + run.RowCount, wordStart + SegmentFormat.RowsPerChangedWord) - wordStart;
        var upper = to == 64 ? ulong.MaxValue : (1UL << to) - 1;
        return upper & ~((1UL << from) - 1);
    }

    private static int CommitBlocks(in SnapshotRun run, SharedSegment segment, Snapshot snapshot)
    {
        var columns = snapshot.Columns;
        var archetype = run.Archetype;
        var tick = snapshot.World.ChangeTick;
        var firstWord = run.SegmentRow / SegmentFormat.RowsPerChangedWord;
        var lastWord = (run.SegmentRow + run.RowCount - 1) / SegmentFormat.RowsPerChangedWord;

        // Column by column, so each column's spans are fetched once; consecutive flagged rows, across word borders
        // too, become one block copy (a fully changed column is a single memcpy).
        for (var column = 0; column < columns.WrittenCount; column++)
        {
            var words = segment.ChangedWords(column);
            var componentId = columns.ComponentId(column);
            var size = columns.ElementSizeBytes(column);
            var source = segment.ColumnBytes(column);
            var target = archetype.GetBytes(componentId);
            var ticks = archetype.GetColumn(componentId);
            var pendingStart = -1;
            var pendingLength = 0;
            for (var word = firstWord; word <= lastWord; word++)
            {
                var bits = words[word] & RunMask(run, word);
                var wordStart = word * SegmentFormat.RowsPerChangedWord;
                while (bits != 0)
                {
                    var first = BitOperations.TrailingZeroCount(bits);
                    var length = BitOperations.TrailingZeroCount(~(bits >> first));
                    if (first + length > 64)
                    {
                        length = 64 - first;
                    }

                    var segmentRow = wordStart + first;
                    if (pendingStart >= 0 && pendingStart + pendingLength == segmentRow)
                    {
                        pendingLength += length;
                    }
                    else
                    {
                        Flush(run, source, target, ticks, size, tick, pendingStart, pendingLength, snapshot.StreamsCopies);
                        pendingStart = segmentRow;
                        pendingLength = length;
                    }

                    bits = first + length >= 64 ? 0 : bits & ~(((1UL << length) - 1) << first);
                }
            }

            Flush(run, source, target, ticks, size, tick, pendingStart, pendingLength, snapshot.StreamsCopies);
        }

        var committed = 0;
        for (var word = firstWord; word <= lastWord; word++)
        {
            ulong union = 0;
            for (var column = 0; column < columns.WrittenCount; column++)
            {
                union |= segment.ChangedWords(column)[word];
            }

            committed += BitOperations.PopCount(union & RunMask(run, word));
        }

        return committed;
    }

    private static void Flush(in SnapshotRun run, Span<byte> source, Span<byte> target, Column ticks, int size, uint tick, int segmentRow, int length, bool stream)
    {
        if (length == 0)
        {
            return;
        }

        var archetypeRow = run.ArchetypeRow + (segmentRow - run.SegmentRow);
        Snapshot.CopyBlock(source.Slice(segmentRow * size, length * size), target.Slice(archetypeRow * size, length * size), stream);
        if (archetypeRow == 0 && length == run.Archetype.Count)
        {
            // The whole column changed: stamp it lazily, so a system moving everything writes no ticks nobody reads.
            ticks.DeferStampAllRows(length, tick);
        }
        else
        {
            ticks.MarkChanged(archetypeRow, length, tick);
        }
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
