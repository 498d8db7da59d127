namespace SimHost.Layout.Bitsets;

/// <summary>
/// A read-only view of a changed bitset, for the side that only reads it (the host's commit). Same bit order as
/// <see cref="ChangedBitset"/>: row <c>r</c> is bit <c>r % 64</c> of little-endian word <c>r / 64</c>; bits past
/// the last row are ignored.
/// </summary>
public readonly ref struct ReadOnlyChangedBitset
{
    private readonly ReadOnlySpan<ulong> _words;
    private readonly int _rowCount;

    /// <summary>Creates a view of <paramref name="rowCount"/> rows over the first <c>WordsFor(rowCount)</c> words of <paramref name="words"/>.</summary>
    /// <param name="words">The words to read.</param>
    /// <param name="rowCount">The number of rows, zero or more.</param>
    /// <exception cref="ArgumentException"><paramref name="words"/> is too short for <paramref name="rowCount"/> rows.</exception>
    public ReadOnlyChangedBitset(ReadOnlySpan<ulong> words, int rowCount)
    {
        _words = words[..BitsetWords.CheckedWordCount(words, rowCount)];
        _rowCount = rowCount;
    }

    /// <summary>Gets the number of rows.</summary>
    public int RowCount => _rowCount;

    /// <summary>Gets the number of 64-bit words the rows occupy.</summary>
    public int WordCount => _words.Length;

    /// <summary>Returns whether <paramref name="row"/> is marked as changed.</summary>
    /// <param name="row">A row in [0, <see cref="RowCount"/>).</param>
    /// <returns><see langword="true"/> when the row's bit is set.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the bitset.</exception>
    public bool IsSet(int row)
    {
        BitsetWords.CheckRow(row, _rowCount);
        return BitsetWords.IsSet(_words, row);
    }

    /// <summary>Returns the number of changed rows.</summary>
    /// <returns>The population count of all words, ignoring bits past the last row.</returns>
    public int Count() => BitsetWords.Count(_words, _rowCount);

    /// <summary>Returns whether every row of word <paramref name="wordIndex"/> is changed; for a last, partial word only its real rows count.</summary>
    /// <param name="wordIndex">A word in [0, <see cref="WordCount"/>).</param>
    /// <returns><see langword="true"/> when the whole word can be committed as one block.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="wordIndex"/> is outside the bitset.</exception>
    public bool IsWordFull(int wordIndex) => BitsetWords.IsWordFull(_words, wordIndex, _rowCount);

    /// <summary>Returns whether no row of word <paramref name="wordIndex"/> is changed.</summary>
    /// <param name="wordIndex">A word in [0, <see cref="WordCount"/>).</param>
    /// <returns><see langword="true"/> when the word's rows can be skipped.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="wordIndex"/> is outside the bitset.</exception>
    public bool IsWordEmpty(int wordIndex) => BitsetWords.IsWordEmpty(_words, wordIndex, _rowCount);

    /// <summary>Enumerates the changed rows in ascending order without allocating.</summary>
    /// <returns>An enumerator over every set row.</returns>
    public SetBitEnumerator GetEnumerator() => new(_words, 0, _rowCount);

    /// <summary>Enumerates the changed rows in [<paramref name="startRow"/>, <paramref name="endRow"/>) in ascending order.</summary>
    /// <param name="startRow">The first row considered.</param>
    /// <param name="endRow">One past the last row considered.</param>
    /// <returns>An enumerator usable directly in <c>foreach</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the bitset.</exception>
    public SetBitEnumerator SetBits(int startRow, int endRow)
    {
        BitsetWords.CheckRange(startRow, endRow, _rowCount);
        return new SetBitEnumerator(_words, startRow, endRow);
    }
}
