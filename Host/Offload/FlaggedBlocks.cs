using System.Numerics;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// Copies the flagged rows of a segment column back into an archetype column, consecutive flagged rows (across word
/// borders too) as one block copy, so a fully flagged stretch is a single memcpy.
/// </summary>
internal static class FlaggedBlocks
{
    /// <summary>
    /// Copies the rows among [<paramref name="from"/>, <paramref name="to"/>) whose bit is set in <paramref name="words"/>
    /// from <paramref name="source"/> to <paramref name="target"/>, segment row r going to archetype row
    /// <paramref name="archetypeRowOfFirst"/> + r.
    /// </summary>
    /// <param name="words">The segment column's changed words, row r being bit r % 64 of word r / 64.</param>
    /// <param name="from">The first segment row to look at.</param>
    /// <param name="to">One past the last.</param>
    /// <param name="source">The segment column's bytes.</param>
    /// <param name="target">The archetype column's bytes.</param>
    /// <param name="archetypeRowOfFirst">The archetype row segment row 0 maps to (negative when the run starts later in the segment).</param>
    /// <param name="size">The component's size in bytes.</param>
    /// <param name="ticks">The archetype column's change ticks to stamp on copied rows; empty stamps nothing.</param>
    /// <param name="tick">The tick to stamp.</param>
    /// <param name="stream">Whether to copy with streaming stores (<see cref="Snapshot.CopyBlock"/>).</param>
    /// <returns>The rows copied.</returns>
    public static int Copy(
        ReadOnlySpan<ulong> words, int from, int to, ReadOnlySpan<byte> source, Span<byte> target, int archetypeRowOfFirst, int size, Span<uint> ticks = default, uint tick = 0, bool stream = false)
    {
        var block = new Block(source, target, archetypeRowOfFirst, size, ticks, tick, stream);
        var copied = 0;
        var pendingStart = -1;
        var pendingLength = 0;
        for (var row = from; row < to;)
        {
            var word = row / SegmentFormat.RowsPerChangedWord;
            var wordStart = word * SegmentFormat.RowsPerChangedWord;
            var rowsInWord = Math.Min(to, wordStart + SegmentFormat.RowsPerChangedWord) - row;
            var bits = words[word] >> (row - wordStart);
            if (rowsInWord < 64)
            {
                bits &= (1UL << rowsInWord) - 1;
            }

            while (bits != 0)
            {
                var first = BitOperations.TrailingZeroCount(bits);
                var length = BitOperations.TrailingZeroCount(~(bits >> first));
                length = Math.Min(length, 64 - first);
                var blockStart = row + first;
                if (pendingStart >= 0 && pendingStart + pendingLength == blockStart)
                {
                    pendingLength += length;
                }
                else
                {
                    block.Flush(pendingStart, pendingLength);
                    pendingStart = blockStart;
                    pendingLength = length;
                }

                copied += length;
                bits = first + length >= 64 ? 0 : bits & ~(((1UL << length) - 1) << first);
            }

            row += rowsInWord;
        }

        block.Flush(pendingStart, pendingLength);
        return copied;
    }

    /// <summary>The rows among the first <paramref name="rows"/> with any of the first <paramref name="writtenCount"/> columns flagged.</summary>
    public static int CountUnion(SharedSegment segment, int writtenCount, int rows)
    {
        var words = SegmentFormat.ChangedWordCount(rows);
        var count = 0;
        for (var word = 0; word < words; word++)
        {
            ulong union = 0;
            for (var column = 0; column < writtenCount; column++)
            {
                union |= segment.ChangedWords(column)[word];
            }

            var rowsInWord = rows - (word * SegmentFormat.RowsPerChangedWord);
            if (rowsInWord < 64)
            {
                union &= (1UL << rowsInWord) - 1;
            }

            count += BitOperations.PopCount(union);
        }

        return count;
    }

    /// <summary>Where a block of flagged rows goes.</summary>
    private readonly ref struct Block(ReadOnlySpan<byte> source, Span<byte> target, int archetypeRowOfFirst, int size, Span<uint> ticks, uint tick, bool stream)
    {
        private readonly ReadOnlySpan<byte> _source = source;
        private readonly Span<byte> _target = target;
        private readonly Span<uint> _ticks = ticks;

        public void Flush(int row, int length)
        {
            if (length == 0)
            {
                return;
            }

            var archetypeRow = archetypeRowOfFirst + row;
            Snapshot.CopyBlock(_source.Slice(row * size, length * size), _target.Slice(archetypeRow * size, length * size), stream);
            if (!_ticks.IsEmpty)
            {
                _ticks.Slice(archetypeRow, length).Fill(tick);
            }
        }
    }
}
