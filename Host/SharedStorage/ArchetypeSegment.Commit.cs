using System.Numerics;
using SimHost.Host.Ecs;
using SimHost.Layout.Segments;

namespace SimHost.Host.SharedStorage;

/// <summary>Making a job's scratch values current: the swap of a whole pair, or the flagged rows block by block.</summary>
internal sealed partial class ArchetypeSegment
{
    /// <summary>
    /// Makes the scratch column of pair <paramref name="pair"/> live (and the live one scratch), stamping the rows its
    /// changed bits flag at <paramref name="tick"/> (deferred until something reads the ticks: see
    /// <see cref="Column.DeferStamp"/>). Valid only when every row below the archetype's count was written.
    /// </summary>
    /// <returns>The changed words of the rows, for counting.</returns>
    public ReadOnlySpan<ulong> Swap(int pair, uint tick)
    {
        var segment = Current();
        var words = segment.ChangedWords(ScratchColumn(pair));
        var count = Archetype.Count;
        var column = _columns[pair] ?? throw new InvalidOperationException("The pair has no column attached.");
        column.DeferStamp(words, count, tick);
        _live[pair] = 1 - _live[pair];
        Bind(pair);
        return words[..SegmentFormat.ChangedWordCount(count)];
    }

    /// <summary>
    /// Copies the live values of pair <paramref name="pair"/> over its scratch for every row below the archetype's
    /// count whose changed bit is clear, so that a following <see cref="Swap"/> commits only the flagged rows: a job may
    /// have written an unflagged row, and the contract is that such a write is discarded. Whole flagged words cost one
    /// read each.
    /// </summary>
    public void RestoreUnflagged(int pair)
    {
        var segment = Current();
        var size = _components[pair].SizeBytes;
        var words = segment.ChangedWords(ScratchColumn(pair));
        var live = segment.ColumnBytes(LiveColumn(pair));
        var scratch = segment.ColumnBytes(ScratchColumn(pair));
        var count = Archetype.Count;
        for (var word = 0; word * RowAlignment < count; word++)
        {
            var wordStart = word * RowAlignment;
            var unflagged = ~words[word];
            if (count - wordStart < RowAlignment)
            {
                unflagged &= (1UL << (count - wordStart)) - 1;
            }

            CopyRuns(unflagged, wordStart, size, live, scratch);
        }
    }

    /// <summary>
    /// Copies the flagged rows of pair <paramref name="pair"/>'s scratch over its live column for rows
    /// [start, +count) and stamps them at <paramref name="tick"/>: the commit of one range when a swap is not valid.
    /// </summary>
    /// <returns>How many rows were flagged and committed.</returns>
    public int CommitFlagged(int pair, int start, int count, uint tick)
    {
        var segment = Current();
        var size = _components[pair].SizeBytes;
        var words = segment.ChangedWords(ScratchColumn(pair));
        var source = segment.ColumnBytes(ScratchColumn(pair));
        var target = segment.ColumnBytes(LiveColumn(pair));
        var end = start + count;
        var flagged = 0;
        for (var word = start / RowAlignment; word * RowAlignment < end; word++)
        {
            var bits = words[word];
            var wordStart = word * RowAlignment;
            if (end - wordStart < RowAlignment)
            {
                bits &= (1UL << (end - wordStart)) - 1;
            }

            CopyRuns(bits, wordStart, size, source, target);
            flagged += BitOperations.PopCount(bits);
        }

        StampTicks(pair, words, start, count, tick);
        return flagged;
    }

    // Each stretch of consecutive set bits of one 64-row word is one block copy.
    private static void CopyRuns(ulong bits, int wordStart, int size, ReadOnlySpan<byte> source, Span<byte> target)
    {
        while (bits != 0)
        {
            var first = BitOperations.TrailingZeroCount(bits);
            var length = BitOperations.TrailingZeroCount(~(bits >> first));
            var row = wordStart + first;
            source.Slice(row * size, length * size).CopyTo(target.Slice(row * size, length * size));
            bits = first + length >= 64 ? 0 : bits & ~(((1UL << length) - 1) << first);
        }
    }

    private void StampTicks(int pair, ReadOnlySpan<ulong> words, int start, int count, uint tick)
    {
        var column = _columns[pair] ?? throw new InvalidOperationException("The pair has no column attached.");
        if (Column.StampFlaggedRows(column.ChangedTicks, words, start, count, tick))
        {
            column.LastChangedTick = tick;
        }
    }
}
