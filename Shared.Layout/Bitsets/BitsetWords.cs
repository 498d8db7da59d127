using System.Numerics;

namespace SimHost.Layout.Bitsets;

/// <summary>
/// Word-level logic shared by <see cref="ChangedBitset"/> and <see cref="ReadOnlyChangedBitset"/>. Bits past the
/// last row in the last word are ignored when reading, because the span may be shared memory another process wrote.
/// </summary>
internal static class BitsetWords
{
    /// <summary>Rows per word: row r lives in word r / 64 at bit r % 64.</summary>
    public const int RowsPerWord = 64;

    /// <summary>Returns the number of words that hold <paramref name="rows"/> rows.</summary>
    public static int WordsFor(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);

        // Written without "rows + 63" so int.MaxValue rows cannot overflow.
        return (rows >> 6) + ((rows & 63) != 0 ? 1 : 0);
    }

    /// <summary>Returns the bits of word <paramref name="wordIndex"/> that stand for real rows.</summary>
    public static ulong ValidMask(int wordIndex, int rowCount)
    {
        int rowsBefore = wordIndex << 6;
        int rowsInWord = rowCount - rowsBefore;
        return rowsInWord >= RowsPerWord ? ulong.MaxValue : (1UL << rowsInWord) - 1;
    }

    /// <summary>Validates the span against the row count and returns exactly the words the rows need.</summary>
    public static int CheckedWordCount(ReadOnlySpan<ulong> words, int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        int needed = WordsFor(rowCount);
        if (words.Length < needed)
        {
            throw new ArgumentException($"A bitset of {rowCount} rows needs {needed} words but the span holds {words.Length}.", nameof(words));
        }

        return needed;
    }

    /// <summary>Returns the row count covered by every bit of <paramref name="words"/>.</summary>
    public static int RowsOf(ReadOnlySpan<ulong> words)
    {
        if (words.Length > int.MaxValue / RowsPerWord)
        {
            throw new ArgumentException($"A span of {words.Length} words holds more than {int.MaxValue} rows; pass a row count.", nameof(words));
        }

        return words.Length * RowsPerWord;
    }

    public static void CheckRow(int row, int rowCount)
    {
        if ((uint)row >= (uint)rowCount)
        {
            ThrowRow(row, rowCount);
        }
    }

    public static void CheckWord(int wordIndex, int wordCount)
    {
        if ((uint)wordIndex >= (uint)wordCount)
        {
            throw new ArgumentOutOfRangeException(nameof(wordIndex), wordIndex, $"The bitset has {wordCount} words.");
        }
    }

    /// <summary>Checks that [startRow, endRow) lies inside [0, rowCount].</summary>
    public static void CheckRange(int startRow, int endRow, int rowCount)
    {
        if ((uint)startRow > (uint)rowCount || endRow < startRow || endRow > rowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(startRow), $"Rows [{startRow}, {endRow}) are not inside [0, {rowCount}).");
        }
    }

    public static bool IsSet(ReadOnlySpan<ulong> words, int row) => (words[row >> 6] & (1UL << row)) != 0;

    public static int Count(ReadOnlySpan<ulong> words, int rowCount)
    {
        if (words.IsEmpty)
        {
            return 0;
        }

        int count = 0;
        int last = words.Length - 1;
        for (int i = 0; i < last; i++)
        {
            count += BitOperations.PopCount(words[i]);
        }

        return count + BitOperations.PopCount(words[last] & ValidMask(last, rowCount));
    }

    public static bool IsWordFull(ReadOnlySpan<ulong> words, int wordIndex, int rowCount)
    {
        CheckWord(wordIndex, words.Length);
        ulong mask = ValidMask(wordIndex, rowCount);
        return (words[wordIndex] & mask) == mask;
    }

    public static bool IsWordEmpty(ReadOnlySpan<ulong> words, int wordIndex, int rowCount)
    {
        CheckWord(wordIndex, words.Length);
        return (words[wordIndex] & ValidMask(wordIndex, rowCount)) == 0;
    }

    private static void ThrowRow(int row, int rowCount) =>
        throw new ArgumentOutOfRangeException(nameof(row), row, $"The bitset has rows [0, {rowCount}).");
}
