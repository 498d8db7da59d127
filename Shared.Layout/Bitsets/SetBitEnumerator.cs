using System.Numerics;

namespace SimHost.Layout.Bitsets;

/// <summary>
/// Enumerates the set rows of a changed bitset in ascending order, one trailing-zero count per set bit and one load
/// per word; allocation-free, so <c>foreach (int row in bitset)</c> costs nothing on the heap.
/// </summary>
public ref struct SetBitEnumerator
{
    private readonly ReadOnlySpan<ulong> _words;
    private readonly int _endRow;
    private int _wordIndex;
    private ulong _pending;
    private int _current;

    /// <summary>Creates an enumerator over rows [<paramref name="startRow"/>, <paramref name="endRow"/>), already checked by the caller.</summary>
    internal SetBitEnumerator(ReadOnlySpan<ulong> words, int startRow, int endRow)
    {
        // Only the words that hold rows below endRow are ever read.
        _words = words[..BitsetWords.WordsFor(endRow)];
        _endRow = endRow;
        _current = -1;
        if (startRow >= endRow)
        {
            _wordIndex = _words.Length;
            _pending = 0;
        }
        else
        {
            _wordIndex = startRow >> 6;
            _pending = _words[_wordIndex] & (ulong.MaxValue << (startRow & 63));
        }
    }

    /// <summary>Gets the row the enumerator is on.</summary>
    public readonly int Current => _current;

    /// <summary>Returns this enumerator, so a sub-range from <c>SetBits</c> can be used directly in <c>foreach</c>.</summary>
    /// <returns>A copy of this enumerator in its current state.</returns>
    public readonly SetBitEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next set row.</summary>
    /// <returns><see langword="false"/> when no set row remains in the range.</returns>
    public bool MoveNext()
    {
        while (_pending == 0)
        {
            if (++_wordIndex >= _words.Length)
            {
                _wordIndex = _words.Length;
                return false;
            }

            _pending = _words[_wordIndex];
        }

        int row = (_wordIndex << 6) + BitOperations.TrailingZeroCount(_pending);
        if (row >= _endRow)
        {
            // Bits past the range (or past the last row, in shared memory we do not trust) end the enumeration.
            _pending = 0;
            _wordIndex = _words.Length;
            return false;
        }

        _pending &= _pending - 1;
        _current = row;
        return true;
    }
}
