namespace SimHost.Layout.Bitsets;

/// <summary>
/// The changed bitset of one written component: one bit per row, set when a job wrote that row, so commit copies
/// back only changed rows (block-wise where a whole word is set). It works on words it does not own, typically a
/// span over a memory-mapped segment.
/// </summary>
/// <remarks>
/// Bit order, which is part of the segment format: row <c>r</c> lives in word <c>r / 64</c> at bit <c>r % 64</c>,
/// bit 0 being the least significant; words are 64-bit little-endian. Bits past the last row are never set by this
/// type and are ignored when reading. Writes are plain (not atomic): callers give each writer whole words, which is
/// why ranges are aligned to 64 rows.
/// </remarks>
public readonly ref struct ChangedBitset
{
    private readonly Span<ulong> _words;
    private readonly int _rowCount;

    /// <summary>Creates a bitset of <paramref name="rowCount"/> rows over the first <see cref="WordsFor"/> words of <paramref name="words"/>.</summary>
    /// <param name="words">The words; only the first <c>WordsFor(rowCount)</c> are used. Their current bits are kept.</param>
    /// <param name="rowCount">The number of rows, zero or more.</param>
    /// <exception cref="ArgumentException"><paramref name="words"/> is too short for <paramref name="rowCount"/> rows.</exception>
    public ChangedBitset(Span<ulong> words, int rowCount)
    {
        _words = words[..BitsetWords.CheckedWordCount(words, rowCount)];
        _rowCount = rowCount;
    }

    /// <summary>Creates a bitset in which every bit of every word of <paramref name="words"/> is a row.</summary>
    /// <param name="words">The words; their current bits are kept.</param>
    public ChangedBitset(Span<ulong> words)
        : this(words, BitsetWords.RowsOf(words))
    {
    }

    /// <summary>Gets the number of rows.</summary>
    public int RowCount => _rowCount;

    /// <summary>Gets the number of 64-bit words the rows occupy.</summary>
    public int WordCount => _words.Length;

    /// <summary>Returns the number of words needed for <paramref name="rows"/> rows: <c>ceil(rows / 64)</c>.</summary>
    /// <param name="rows">The number of rows, zero or more.</param>
    /// <returns>The word count.</returns>
    public static int WordsFor(int rows) => BitsetWords.WordsFor(rows);

    /// <summary>Returns a read-only view of the same words.</summary>
    /// <param name="bitset">The bitset to view.</param>
    public static implicit operator ReadOnlyChangedBitset(ChangedBitset bitset) => bitset.AsReadOnly();

    /// <summary>Returns a read-only view of the same words.</summary>
    /// <returns>A view that sees every later change made through this bitset.</returns>
    public ReadOnlyChangedBitset AsReadOnly() => new(_words, _rowCount);

    /// <summary>Marks <paramref name="row"/> as changed.</summary>
    /// <param name="row">A row in [0, <see cref="RowCount"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the bitset.</exception>
    public void Set(int row)
    {
        BitsetWords.CheckRow(row, _rowCount);
        _words[row >> 6] |= 1UL << row;
    }

    /// <summary>Marks <paramref name="row"/> as unchanged.</summary>
    /// <param name="row">A row in [0, <see cref="RowCount"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the bitset.</exception>
    public void Clear(int row)
    {
        BitsetWords.CheckRow(row, _rowCount);
        _words[row >> 6] &= ~(1UL << row);
    }

    /// <summary>Returns whether <paramref name="row"/> is marked as changed.</summary>
    /// <param name="row">A row in [0, <see cref="RowCount"/>).</param>
    /// <returns><see langword="true"/> when the row's bit is set.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the bitset.</exception>
    public bool IsSet(int row)
    {
        BitsetWords.CheckRow(row, _rowCount);
        return BitsetWords.IsSet(_words, row);
    }

    /// <summary>Marks rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as changed, a word at a time.</summary>
    /// <param name="start">The first row.</param>
    /// <param name="count">The number of rows; zero does nothing.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the bitset.</exception>
    public void SetRange(int start, int count) => ApplyRange(start, count, set: true);

    /// <summary>Marks rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as unchanged, a word at a time.</summary>
    /// <param name="start">The first row.</param>
    /// <param name="count">The number of rows; zero does nothing.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the bitset.</exception>
    public void ClearRange(int start, int count) => ApplyRange(start, count, set: false);

    /// <summary>Marks every row as unchanged (zeroes every word, including bits past the last row).</summary>
    public void ClearAll() => _words.Clear();

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
    /// <returns><see langword="true"/> when the word's 64 rows can be skipped.</returns>
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

    private void ApplyRange(int start, int count, bool set)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        BitsetWords.CheckRange(start, (int)Math.Min((long)start + count, int.MaxValue), _rowCount);
        if (count == 0)
        {
            return;
        }

        int end = start + count;
        int firstWord = start >> 6;
        int lastWord = (end - 1) >> 6;
        ulong firstMask = ulong.MaxValue << (start & 63);

        // ulong.MaxValue >> (63 - x) keeps bits 0..x, with x = the last row's bit; never a shift by 64.
        ulong lastMask = ulong.MaxValue >> (63 - ((end - 1) & 63));
        if (firstWord == lastWord)
        {
            Apply(ref _words[firstWord], firstMask & lastMask, set);
            return;
        }

        Apply(ref _words[firstWord], firstMask, set);
        _words[(firstWord + 1)..lastWord].Fill(set ? ulong.MaxValue : 0);
        Apply(ref _words[lastWord], lastMask, set);
    }

    private static void Apply(ref ulong word, ulong mask, bool set) => word = set ? word | mask : word & ~mask;
}
