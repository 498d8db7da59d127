using System.Numerics;
using SimHost.Layout.Bitsets;
using SimHost.Layout.Components;

namespace SimHost.Layout.Jobs;

/// <summary>Finding a component's column in the segment, and counting the rows a run flagged.</summary>
public sealed partial class JobContext
{
    private int CountChangedRows(ulong writable)
    {
        var wordCount = ChangedBitset.WordsFor(_range.RowCount);
        var first = _range.RowStart / JobRange.RowAlignment;
        if (writable == 0)
        {
            return 0;
        }

        if (BitOperations.PopCount(writable) == 1)
        {
            // One written column (the common case): count its bits directly, no union needed.
            return CountBits(_segment.ChangedWords(BitOperations.TrailingZeroCount(writable)).Slice(first, wordCount), _range.RowCount);
        }

        // Several written columns: OR their words block by block into a stack buffer (no allocation per job), one
        // span per column and block rather than one per word.
        const int BlockWords = 512;
        Span<ulong> union = stackalloc ulong[BlockWords];
        var changed = 0;
        for (var blockStart = 0; blockStart < wordCount; blockStart += BlockWords)
        {
            var blockWords = Math.Min(BlockWords, wordCount - blockStart);
            var block = union[..blockWords];
            block.Clear();
            for (var column = 0; column < _segment.ColumnCount && column < 64; column++)
            {
                if ((writable & (1UL << column)) != 0)
                {
                    var words = _segment.ChangedWords(column).Slice(first + blockStart, blockWords);
                    for (var w = 0; w < blockWords; w++)
                    {
                        block[w] |= words[w];
                    }
                }
            }

            var rowsInBlock = Math.Min(blockWords * 64, _range.RowCount - (blockStart * 64));
            changed += CountBits(block, rowsInBlock);
        }

        return changed;
    }

    private static int CountBits(ReadOnlySpan<ulong> words, int rowCount)
    {
        if (words.IsEmpty)
        {
            return 0;
        }

        var changed = 0;
        for (var w = 0; w < words.Length - 1; w++)
        {
            changed += BitOperations.PopCount(words[w]);
        }

        // Bits past the range's last row belong to no row of it.
        var rowsInLast = rowCount - ((words.Length - 1) * 64);
        var last = words[^1];
        if (rowsInLast < 64)
        {
            last &= (1UL << rowsInLast) - 1;
        }

        return changed + BitOperations.PopCount(last);
    }

    private int WritableColumn<T>()
        where T : unmanaged
    {
        var column = FindColumn(ComponentLayout.Of<T>().Hash, writable: true);
        if (column < 0)
        {
            _ = ColumnOf<T>();
            throw new InvalidOperationException($"The job asked to write {typeof(T).FullName}, but its system only reads it; declare the write on the system.");
        }

        if (column < 64)
        {
            _writtenColumns |= 1UL << column;
        }

        return column;
    }

    /// <summary>
    /// The column a tick reads: after the first tick the column the job wrote holds the previous tick's values, so
    /// later ticks read it (the job then updates in place, as it always does in a snapshot segment).
    /// </summary>
    private int CurrentColumnOf<T>()
        where T : unmanaged
    {
        if (TickIndex > 0)
        {
            var written = FindColumn(ComponentLayout.Of<T>().Hash, writable: true);
            if (written is >= 0 and < 64 && (_writtenColumns & (1UL << written)) != 0)
            {
                return written;
            }
        }

        var hash = ComponentLayout.Of<T>().Hash;
        if (_range.LiveColumns != 0)
        {
            // Shared storage: the host names the live column of every component the job accesses.
            var named = FindColumn(hash, _range.LiveColumns);
            if (named >= 0)
            {
                return named;
            }
        }

        var live = FindColumn(hash, writable: false);
        return live >= 0 ? live : ColumnOf<T>();
    }


    private int FindColumn(ulong layoutHash, ulong columns)
    {
        var plan = _segment.Plan;
        for (var i = 0; i < plan.ColumnCount && i < 64; i++)
        {
            if ((columns & (1UL << i)) != 0 && plan.Column(i).LayoutHash == layoutHash)
            {
                return i;
            }
        }

        return -1;
    }

    private int FindColumn(ulong layoutHash, bool writable)
    {
        var plan = _segment.Plan;
        for (var i = 0; i < plan.ColumnCount; i++)
        {
            var isWritable = i < 64 && (_range.WritableColumns & (1UL << i)) != 0;
            if (isWritable == writable && plan.Column(i).LayoutHash == layoutHash)
            {
                return i;
            }
        }

        return -1;
    }

    private int ColumnOf<T>()
        where T : unmanaged
    {
        var column = _segment.FindColumnByLayoutHash(ComponentLayout.Of<T>().Hash);
        return column >= 0
            ? column
            : throw new InvalidOperationException($"The job asked for {typeof(T).FullName}, which its system neither reads nor writes; declare it on the system.");
    }
}
