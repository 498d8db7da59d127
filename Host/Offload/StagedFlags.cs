using System.Numerics;
using SimHost.Host.Ecs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// What a staged pass (<see cref="StagedInProcessPass"/>) committed, kept so the change ticks are stamped once the
/// whole frame is known, exactly as <see cref="CommitBlockWork"/> stamps them: per archetype and written component, a
/// column flagged on every row is stamped lazily (<see cref="Column.DeferStampAllRows"/>), any other has the ticks of
/// its flagged rows written. The pieces' values are written as they finish, but whether a column changed everywhere is
/// only known after the last piece. Reused frame after frame; steady frames allocate nothing.
/// </summary>
internal sealed class StagedFlags
{
    // Per written column, one bit per row of the frame (row = position in the pass's runs), set for committed rows.
    private ulong[][] _words = [];
    private readonly ArchetypeSlots _slots = new();
    private long[] _flagged = [];
    private int _writtenCount;

    /// <summary>Starts an empty record of <paramref name="rowCount"/> rows and <paramref name="writtenCount"/> written columns.</summary>
    public void Begin(int rowCount, int writtenCount)
    {
        ForgetArchetypes();
        _writtenCount = writtenCount;
        var wordCount = SegmentFormat.ChangedWordCount(rowCount);
        if (_words.Length < writtenCount)
        {
            Array.Resize(ref _words, writtenCount);
        }

        for (var column = 0; column < writtenCount; column++)
        {
            if (_words[column] is null || _words[column].Length < wordCount)
            {
                _words[column] = new ulong[Math.Max(wordCount, 1)];
            }
            else
            {
                // Last frame's record is gone before any piece runs: a piece that fails, or never runs because the
                // pass threw, leaves nothing to stamp.
                _words[column].AsSpan(0, wordCount).Clear();
            }
        }
    }

    /// <summary>The slot of <paramref name="archetype"/>, added when new; called on one thread, before any piece runs.</summary>
    public int SlotOf(Archetype archetype)
    {
        var slot = _slots.SlotOf(archetype, out var isNew);
        if (!isNew)
        {
            return slot;
        }

        var needed = (slot + 1) * _writtenCount;
        if (_flagged.Length < needed)
        {
            Array.Resize(ref _flagged, Math.Max(needed, _flagged.Length * 2));
        }

        _flagged.AsSpan(slot * _writtenCount, _writtenCount).Clear();
        return slot;
    }

    /// <summary>
    /// Records the flags of a committed piece: <paramref name="words"/> of one written column cover the piece's rows
    /// from <paramref name="firstRow"/>, a multiple of 64, so no other piece shares a word.
    /// </summary>
    public void Record(int column, int firstRow, ReadOnlySpan<ulong> words) =>
        words.CopyTo(_words[column].AsSpan(firstRow / SegmentFormat.RowsPerChangedWord));

    /// <summary>Adds <paramref name="rows"/> committed rows of <paramref name="column"/> to archetype <paramref name="slot"/>'s count; safe from any thread.</summary>
    public void AddFlagged(int slot, int column, long rows)
    {
        if (rows != 0)
        {
            Interlocked.Add(ref _flagged[(slot * _writtenCount) + column], rows);
        }
    }

    /// <summary>Stamps every committed row changed at <paramref name="tick"/>; called on one thread once every piece is done.</summary>
    /// <param name="runs">The pass's runs; a run's <see cref="SnapshotRun.SegmentRow"/> is its first row in the record.</param>
    /// <param name="runSlots">The archetype slot of each run.</param>
    /// <param name="columns">The system's columns.</param>
    /// <param name="tick">The world's tick at the commit.</param>
    public void Stamp(ReadOnlySpan<SnapshotRun> runs, ReadOnlySpan<int> runSlots, SnapshotColumns columns, uint tick)
    {
        for (var slot = 0; slot < _slots.Count; slot++)
        {
            var archetype = _slots[slot];
            for (var column = 0; column < _writtenCount; column++)
            {
                var flagged = _flagged[(slot * _writtenCount) + column];
                if (flagged == 0)
                {
                    continue;
                }

                var target = archetype.GetColumn(columns.ComponentId(column));
                if (flagged == archetype.Count)
                {
                    // The whole column changed: stamp it lazily, so a system moving everything writes no ticks nobody reads.
                    target.DeferStampAllRows(archetype.Count, tick);
                    continue;
                }

                var ticks = target.ChangedTicks;
                target.LastChangedTick = tick;
                for (var run = 0; run < runs.Length; run++)
                {
                    if (runSlots[run] == slot)
                    {
                        StampRun(runs[run], _words[column], ticks, tick);
                    }
                }
            }
        }
    }

    private static void StampRun(in SnapshotRun run, ulong[] words, Span<uint> ticks, uint tick)
    {
        var end = run.SegmentRow + run.RowCount;
        for (var row = run.SegmentRow; row < end;)
        {
            var word = row / SegmentFormat.RowsPerChangedWord;
            var wordStart = word * SegmentFormat.RowsPerChangedWord;
            var bits = words[word] >> (row - wordStart);
            var rowsInWord = Math.Min(end, wordStart + SegmentFormat.RowsPerChangedWord) - row;
            if (rowsInWord < 64)
            {
                bits &= (1UL << rowsInWord) - 1;
            }

            while (bits != 0)
            {
                var offset = BitOperations.TrailingZeroCount(bits);
                ticks[run.ArchetypeRow + (row - run.SegmentRow) + offset] = tick;
                bits &= bits - 1;
            }

            row += rowsInWord;
        }
    }

    private void ForgetArchetypes()
    {
        _slots.Clear();
    }
}
