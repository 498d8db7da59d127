using System.Runtime.InteropServices;
using SimHost.Layout.Bitsets;

// Expected word and row lists are inline arrays on purpose: each assertion runs once and reads best in place.
#pragma warning disable CA1861

namespace SimHost.Tests.SharedLayout.Bitsets;

public sealed class ChangedBitsetTests
{
    [TestCase(0, 0)]
    [TestCase(1, 1)]
    [TestCase(63, 1)]
    [TestCase(64, 1)]
    [TestCase(65, 2)]
    [TestCase(128, 2)]
    [TestCase(int.MaxValue, 33_554_432)]
    public void WordsFor_RoundsRowsUpToWholeWords(int rows, int words)
    {
        Assert.That(ChangedBitset.WordsFor(rows), Is.EqualTo(words));
    }

    [Test]
    public void WordsFor_RejectsNegativeRows()
    {
        Assert.That(() => ChangedBitset.WordsFor(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Constructor_RejectsASpanTooShortForTheRows()
    {
        var words = new ulong[2];

        Assert.That(() => new ChangedBitset(words, 129).RowCount, Throws.ArgumentException);
        Assert.That(() => new ReadOnlyChangedBitset(words, 129).RowCount, Throws.ArgumentException);
        Assert.That(() => new ChangedBitset(words, -1).RowCount, Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Constructor_UsesOnlyTheWordsTheRowsNeed()
    {
        var words = new ulong[5];

        var bitset = new ChangedBitset(words, 65);

        Assert.That(bitset.WordCount, Is.EqualTo(2));
        Assert.That(bitset.RowCount, Is.EqualTo(65));
        Assert.That(new ChangedBitset(words).RowCount, Is.EqualTo(320));
    }

    [Test]
    public void Set_PutsRowRAtBitRMod64OfWordRDiv64()
    {
        var words = new ulong[3];
        var bitset = new ChangedBitset(words, 130);

        bitset.Set(0);
        bitset.Set(63);
        bitset.Set(64);
        bitset.Set(129);

        Assert.That(words, Is.EqualTo(new[] { 1UL | (1UL << 63), 1UL, 1UL << 1 }));
        Assert.That(bitset.IsSet(0) && bitset.IsSet(63) && bitset.IsSet(64) && bitset.IsSet(129), Is.True);
        Assert.That(bitset.IsSet(1) || bitset.IsSet(62) || bitset.IsSet(65) || bitset.IsSet(128), Is.False);
        Assert.That(bitset.Count(), Is.EqualTo(4));
    }

    [Test]
    public void Clear_UnsetsOnlyThatRow()
    {
        var words = new ulong[] { ulong.MaxValue, ulong.MaxValue };
        var bitset = new ChangedBitset(words, 128);

        bitset.Clear(64);

        Assert.That(words, Is.EqualTo(new[] { ulong.MaxValue, ulong.MaxValue - 1 }));
    }

    [TestCase(-1)]
    [TestCase(130)]
    [TestCase(int.MaxValue)]
    [TestCase(int.MinValue)]
    public void RowOperations_RejectRowsOutsideTheBitsetEvenInsideTheLastWord(int row)
    {
        var words = new ulong[3];

        Assert.That(() => new ChangedBitset(words, 130).Set(row), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ChangedBitset(words, 130).Clear(row), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ChangedBitset(words, 130).IsSet(row), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ReadOnlyChangedBitset(words, 130).IsSet(row), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(words, Is.All.Zero);
    }

    [Test]
    public void SetRange_AcrossAWordBoundarySetsTheTailAndHeadBits()
    {
        var words = new ulong[2];

        new ChangedBitset(words, 128).SetRange(60, 10);

        Assert.That(words, Is.EqualTo(new[] { 0xFUL << 60, 0x3FUL }));
    }

    [Test]
    public void SetRange_FillsWholeMiddleWordsAndLeavesNeighboursAlone()
    {
        var words = new ulong[5];
        words[4] = 0x5A5A; // beyond the bitset's words: must survive
        var bitset = new ChangedBitset(words, 250);

        bitset.SetRange(10, 200);

        Assert.That(words, Is.EqualTo(new[] { ulong.MaxValue << 10, ulong.MaxValue, ulong.MaxValue, (1UL << 18) - 1, 0x5A5AUL }));
        Assert.That(bitset.Count(), Is.EqualTo(200));
        Assert.That(bitset.IsWordFull(1) && bitset.IsWordFull(2), Is.True);
        Assert.That(bitset.IsWordFull(0) || bitset.IsWordFull(3), Is.False);
    }

    [Test]
    public void SetRange_ToTheLastRowNeverSetsBitsPastIt()
    {
        var words = new ulong[2];
        var bitset = new ChangedBitset(words, 70);

        bitset.SetRange(0, 70);

        Assert.That(words, Is.EqualTo(new[] { ulong.MaxValue, 0x3FUL }));
        Assert.That(bitset.IsWordFull(1), Is.True, "a partial last word is full when all its real rows are set");
    }

    [Test]
    public void SetRange_OfAWholeAlignedWordSetsExactlyThatWord()
    {
        var words = new ulong[3];

        new ChangedBitset(words, 192).SetRange(64, 64);

        Assert.That(words, Is.EqualTo(new[] { 0UL, ulong.MaxValue, 0UL }));
    }

    [TestCase(0)]
    [TestCase(5)]
    [TestCase(128)]
    public void SetRange_WithCountZeroChangesNothing(int start)
    {
        var words = new ulong[2];

        new ChangedBitset(words, 128).SetRange(start, 0);

        Assert.That(words, Is.All.Zero);
    }

    [TestCase(-1, 1)]
    [TestCase(0, 129)]
    [TestCase(128, 1)]
    [TestCase(129, 0)]
    [TestCase(5, -1)]
    [TestCase(int.MaxValue, 1)]
    [TestCase(100, int.MaxValue)]
    public void SetRange_RejectsRangesOutsideTheBitset(int start, int count)
    {
        var words = new ulong[3];

        Assert.That(() => new ChangedBitset(words, 128).SetRange(start, count), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ChangedBitset(words, 128).ClearRange(start, count), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(words, Is.All.Zero);
    }

    [Test]
    public void ClearRange_AcrossWordsClearsOnlyThoseRows()
    {
        var words = new ulong[] { ulong.MaxValue, ulong.MaxValue };

        new ChangedBitset(words, 128).ClearRange(62, 4);

        Assert.That(words, Is.EqualTo(new[] { ulong.MaxValue >> 2, ulong.MaxValue << 2 }));
    }

    [Test]
    public void ClearAll_ZeroesEveryWord()
    {
        var words = new ulong[] { 1, 2, 3 };
        var bitset = new ChangedBitset(words, 130);

        bitset.ClearAll();

        Assert.That(words, Is.All.Zero);
        Assert.That(bitset.Count(), Is.Zero);
    }

    [Test]
    public void Readers_IgnoreGarbageBitsPastTheLastRow()
    {
        // Another process could have scribbled past the last row in shared memory; none of it is a row.
        var words = new ulong[] { 0, ulong.MaxValue << 6 };
        var bitset = new ChangedBitset(words, 70);

        Assert.That(bitset.Count(), Is.Zero);
        Assert.That(bitset.IsWordEmpty(1), Is.True);
        Assert.That(bitset.IsWordFull(1), Is.False);
        Assert.That(Rows(bitset.GetEnumerator()), Is.Empty);
        Assert.That(bitset.AsReadOnly().Count(), Is.Zero);
    }

    [Test]
    public void WordQueries_RejectWordIndexesOutsideTheBitset()
    {
        var words = new ulong[3];

        Assert.That(() => new ChangedBitset(words, 70).IsWordFull(2), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ChangedBitset(words, 70).IsWordEmpty(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ReadOnlyChangedBitset(words, 70).IsWordFull(2), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Enumerator_YieldsSetRowsInAscendingOrder()
    {
        var words = new ulong[3];
        var bitset = new ChangedBitset(words, 130);
        bitset.Set(129);
        bitset.Set(0);
        bitset.Set(64);
        bitset.Set(63);

        var rows = new List<int>();
        foreach (int row in bitset)
        {
            rows.Add(row);
        }

        Assert.That(rows, Is.EqualTo(new[] { 0, 63, 64, 129 }));
    }

    [Test]
    public void SetBits_YieldsOnlyRowsInsideTheSubRange()
    {
        var words = new ulong[3];
        var bitset = new ChangedBitset(words, 130);
        bitset.SetRange(0, 130);

        Assert.That(Rows(bitset.SetBits(62, 66)), Is.EqualTo(new[] { 62, 63, 64, 65 }));
        Assert.That(Rows(bitset.SetBits(129, 130)), Is.EqualTo(new[] { 129 }));
        Assert.That(Rows(bitset.SetBits(64, 64)), Is.Empty);
        Assert.That(Rows(bitset.SetBits(130, 130)), Is.Empty);
    }

    [TestCase(-1, 5)]
    [TestCase(5, 4)]
    [TestCase(0, 131)]
    [TestCase(131, 131)]
    public void SetBits_RejectsRangesOutsideTheBitset(int startRow, int endRow)
    {
        var words = new ulong[3];

        Assert.That(() => new ChangedBitset(words, 130).SetBits(startRow, endRow), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ReadOnlyChangedBitset(words, 130).SetBits(startRow, endRow), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ZeroRows_HaveNoWordsAndNothingToEnumerate()
    {
        var bitset = new ChangedBitset(Span<ulong>.Empty, 0);

        Assert.That(bitset.WordCount, Is.Zero);
        Assert.That(bitset.Count(), Is.Zero);
        Assert.That(Rows(bitset.GetEnumerator()), Is.Empty);
        Assert.That(() => new ChangedBitset(Span<ulong>.Empty, 0).Set(0), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ReadOnlyView_SeesLaterWritesThroughTheSameWords()
    {
        var words = new ulong[2];
        var bitset = new ChangedBitset(words, 100);
        ReadOnlyChangedBitset view = bitset;

        bitset.SetRange(64, 36);

        Assert.That(view.RowCount, Is.EqualTo(100));
        Assert.That(view.WordCount, Is.EqualTo(2));
        Assert.That(view.Count(), Is.EqualTo(36));
        Assert.That(view.IsSet(99), Is.True);
        Assert.That(view.IsWordFull(1) && view.IsWordEmpty(0), Is.True);
        Assert.That(Rows(view.SetBits(98, 100)), Is.EqualTo(new[] { 98, 99 }));
    }

    [Test]
    public unsafe void Bitset_WorksOnMemoryItDoesNotOwn()
    {
        ulong* memory = (ulong*)NativeMemory.AllocZeroed(4 * sizeof(ulong));
        try
        {
            var bitset = new ChangedBitset(new Span<ulong>(memory, 4), 200);
            bitset.Set(199);
            bitset.SetRange(0, 3);

            Assert.That(memory[0], Is.EqualTo(7UL));
            Assert.That(memory[3], Is.EqualTo(1UL << 7));
            Assert.That(new ReadOnlyChangedBitset(new ReadOnlySpan<ulong>(memory, 4), 200).Count(), Is.EqualTo(4));
        }
        finally
        {
            NativeMemory.Free(memory);
        }
    }

    [Test]
    public void Enumeration_DoesNotAllocate()
    {
        var words = new ulong[160];
        var bitset = new ChangedBitset(words);
        bitset.SetRange(0, bitset.RowCount);
        int sum = SumRows(bitset); // warm up: JIT and tiering allocate, enumeration must not

        long before = GC.GetAllocatedBytesForCurrentThread();
        sum += SumRows(bitset);
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.That(after - before, Is.Zero);
        Assert.That(sum, Is.EqualTo(2 * (bitset.RowCount - 1) * bitset.RowCount / 2));
    }

    private static int SumRows(ChangedBitset bitset)
    {
        int sum = 0;
        foreach (int row in bitset)
        {
            sum += row;
        }

        return sum;
    }

    private static List<int> Rows(SetBitEnumerator enumerator)
    {
        var rows = new List<int>();
        foreach (int row in enumerator)
        {
            rows.Add(row);
        }

        return rows;
    }
}
