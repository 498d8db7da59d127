using System.Numerics;

namespace SimHost.Host.Ecs;

/// <summary>
/// One component's rows in one archetype: a contiguous value array plus a parallel per-row changed-tick array.
/// The untyped operations run once per structural change (not per entity in iteration), so a virtual call is fine.
/// </summary>
internal abstract class Column
{
    private const int RowsPerWord = 64;

    private readonly Lock _deferredGate = new();
    private RowBuffer<uint> _ticks;
    private ulong[] _deferredWords = [];
    private int _deferredRows;
    private uint _deferredTick;
    private volatile bool _hasDeferredStamp;

    protected Column(int componentId, int capacity, bool isUninitialized = false)
    {
        ComponentId = componentId;
        _ticks = new RowBuffer<uint>(isUninitialized ? BulkArray.AllocateToFill<uint>(capacity) : new uint[capacity]);
    }

    /// <summary>A column of <paramref name="capacity"/> rows whose ticks are placed, unwritten, in a checkpoint load's <paramref name="arena"/>.</summary>
    protected Column(int componentId, LoadArena arena, int capacity)
    {
        ComponentId = componentId;
        _ticks = new RowBuffer<uint>(arena, capacity);
    }

    public int ComponentId { get; }

    /// <summary>
    /// The tick at which each row was last written; moves with the row's value. Reading it first applies a stamp
    /// deferred by <see cref="DeferStamp"/>, so no reader ever sees ticks older than the last commit.
    /// </summary>
    public Span<uint> ChangedTicks
    {
        get
        {
            if (_hasDeferredStamp)
            {
                ApplyDeferredStamp();
            }

            return _ticks.Span;
        }
    }

    /// <summary>
    /// The ticks as they are, a deferred stamp not applied: for work that has read <see cref="ChangedTicks"/> once on
    /// one thread (which applied it) and then reads them again from several.
    /// </summary>
    public Span<uint> StoredChangedTicks => _ticks.Span;

    /// <summary>Whether the values or the ticks still live in a checkpoint load's arena (tests check that a load used one).</summary>
    public virtual bool IsInLoadArena => _ticks.IsInArena;

    /// <summary>The managed array holding the ticks, or null while they live in a load's arena (a load pins it to read into it).</summary>
    public uint[]? ManagedTicks => _ticks.Array;

    /// <summary>How many rows the ticks (and the column) have room for.</summary>
    public int Capacity => _ticks.Length;

    /// <summary>Makes <paramref name="ticks"/> the column's change ticks (a resize has copied what it keeps into them).</summary>
    protected void ReplaceTicks(uint[] ticks) => _ticks.Replace(ticks);

    /// <summary>The highest tick ever stamped on this column, so change filters skip untouched archetypes.</summary>
    public uint LastChangedTick { get; set; }

    public abstract void Resize(int capacity);

    /// <summary>
    /// Writes zeros over the values and ticks of rows [<paramref name="start"/>, +<paramref name="count"/>), which must
    /// lie within the capacity: a reservation commits its memory here, so rows created into it later do not pay the
    /// operating system's first-touch page faults (microseconds per 4 KiB page on a VM) on the creation path.
    /// </summary>
    public void Commit(int start, int count)
    {
        Span<byte> upToEnd = AsBytes(start + count);
        upToEnd[AsBytes(start).Length..].Clear();
        ChangedTicks.Slice(start, count).Clear();
    }

    /// <summary>Moves the first <paramref name="rows"/> values into shared memory; see <see cref="IColumnMemory"/>.</summary>
    public abstract void MoveTo(IColumnMemory memory, int rows);

    /// <summary>Moves a shared column's values back into a managed array (its shared memory is going away).</summary>
    public abstract void MoveToManaged();

    /// <summary>Points a shared column at its current buffer.</summary>
    public abstract void Bind(nint address, int rowCapacity);

    /// <summary>Copies row <paramref name="from"/> (value and tick) over row <paramref name="to"/> of this column.</summary>
    public abstract void MoveRow(int from, int to);

    /// <summary>Copies a row (value and tick) into another column of the same component type.</summary>
    public abstract void CopyRowTo(int row, Column destination, int destinationRow);

    /// <summary>The first <paramref name="count"/> rows as raw bytes.</summary>
    public abstract Span<byte> AsBytes(int count);

    /// <summary>The managed array holding the values, or null while they live in shared memory (a load pins it to read into it).</summary>
    public abstract Array? ManagedValues { get; }

    /// <summary>Writes one value given as raw bytes; the length must equal the component size.</summary>
    public abstract void WriteBytes(int row, ReadOnlySpan<byte> value);

    /// <summary>Fills <paramref name="count"/> rows from <paramref name="start"/> with one value given as raw bytes.</summary>
    public abstract void Fill(int start, int count, ReadOnlySpan<byte> value);

    /// <summary>
    /// Stamps <paramref name="tick"/> on the flagged rows of <paramref name="words"/> (row r is bit r % 64 of word
    /// r / 64) among the first <paramref name="rows"/> rows, later: the words are copied and applied at the next read
    /// of <see cref="ChangedTicks"/> or by <see cref="ApplyDeferredStamp"/>, whichever comes first.
    /// <see cref="LastChangedTick"/> moves at once, so change filters see the change immediately.
    /// </summary>
    /// <remarks>
    /// A commit of a 1M-row shared column would otherwise write 4 MB of ticks while the frame waits. A pending stamp
    /// whose rows this one flags again is dropped instead of applied: its tick is older, so it would be overwritten
    /// anyway. A system moving every particle every frame therefore never writes its ticks unless something reads them.
    /// </remarks>
    public void DeferStamp(ReadOnlySpan<ulong> words, int rows, uint tick)
    {
        var wordCount = (rows + RowsPerWord - 1) / RowsPerWord;
        if (!words[..wordCount].ContainsAnyExcept(0UL))
        {
            return;
        }

        lock (_deferredGate)
        {
            if (_hasDeferredStamp && !Covers(words[..wordCount], rows))
            {
                StampFlaggedRows(_ticks.Span, _deferredWords, 0, _deferredRows, _deferredTick);
            }

            if (_deferredWords.Length < wordCount)
            {
                _deferredWords = GC.AllocateUninitializedArray<ulong>(wordCount);
            }

            words[..wordCount].CopyTo(_deferredWords);
            (_deferredRows, _deferredTick) = (rows, tick);
            LastChangedTick = tick;
            _hasDeferredStamp = true;
        }
    }

    /// <summary>
    /// <see cref="DeferStamp"/> of every one of the first <paramref name="rows"/> rows: a commit that wrote the whole
    /// column (a moving particle system) defers its 4 bytes per row like a shared swap does.
    /// </summary>
    public void DeferStampAllRows(int rows, uint tick)
    {
        if (rows <= 0)
        {
            return;
        }

        var wordCount = (rows + RowsPerWord - 1) / RowsPerWord;
        lock (_deferredGate)
        {
            if (_hasDeferredStamp && rows < _deferredRows)
            {
                StampFlaggedRows(_ticks.Span, _deferredWords, 0, _deferredRows, _deferredTick);
            }

            if (_deferredWords.Length < wordCount)
            {
                _deferredWords = GC.AllocateUninitializedArray<ulong>(wordCount);
            }

            _deferredWords.AsSpan(0, wordCount).Fill(ulong.MaxValue);
            if (rows % RowsPerWord != 0)
            {
                // Only real rows: a later stamp over the same rows must be able to cover this one.
                _deferredWords[wordCount - 1] = (1UL << (rows % RowsPerWord)) - 1;
            }

            (_deferredRows, _deferredTick) = (rows, tick);
            LastChangedTick = tick;
            _hasDeferredStamp = true;
        }
    }

    /// <summary>Whether a stamp deferred by <see cref="DeferStamp"/> or <see cref="DeferStampAllRows"/> waits to be applied.</summary>
    public bool HasDeferredStamp => _hasDeferredStamp;

    /// <summary>
    /// Whether a deferred stamp is pending that flags every one of the first <paramref name="rows"/> rows, so that
    /// once applied every row's tick is <paramref name="tick"/>: a checkpoint then records the one tick instead of
    /// applying the stamp and copying 4 bytes per row (a column every row of which a system writes each frame).
    /// </summary>
    public bool TryGetPendingStampOfAllRows(int rows, out uint tick)
    {
        tick = 0;
        if (!_hasDeferredStamp || rows <= 0)
        {
            return false;
        }

        lock (_deferredGate)
        {
            if (!_hasDeferredStamp || _deferredRows < rows)
            {
                return false;
            }

            var words = _deferredWords.AsSpan(0, rows / RowsPerWord);
            if (words.ContainsAnyExcept(ulong.MaxValue))
            {
                return false;
            }

            var tail = rows % RowsPerWord;
            if (tail != 0 && (_deferredWords[rows / RowsPerWord] & ((1UL << tail) - 1)) != (1UL << tail) - 1)
            {
                return false;
            }

            tick = _deferredTick;
            return true;
        }
    }

    /// <summary>Applies a stamp deferred by <see cref="DeferStamp"/>, if any; safe from concurrent readers.</summary>
    public void ApplyDeferredStamp()
    {
        if (!_hasDeferredStamp)
        {
            return;
        }

        lock (_deferredGate)
        {
            if (_hasDeferredStamp)
            {
                StampFlaggedRows(_ticks.Span, _deferredWords, 0, _deferredRows, _deferredTick);
                _hasDeferredStamp = false;
            }
        }
    }

    // Whether a new stamp of `words` over `rows` rows flags every row the pending one flags.
    private bool Covers(ReadOnlySpan<ulong> words, int rows)
    {
        if (rows < _deferredRows)
        {
            return false;
        }

        var pending = _deferredWords.AsSpan(0, (_deferredRows + RowsPerWord - 1) / RowsPerWord);
        for (var i = 0; i < pending.Length; i++)
        {
            // Bits past the pending stamp's rows are not rows of it: they need no cover.
            var rowsInWord = Math.Min(RowsPerWord, _deferredRows - (i * RowsPerWord));
            var mask = rowsInWord == RowsPerWord ? ulong.MaxValue : (1UL << rowsInWord) - 1;
            if ((pending[i] & mask & ~words[i]) != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Stamps <paramref name="tick"/> on the rows of [start, +count) whose bit is set; start is a multiple of 64.</summary>
    /// <returns>Whether any row was stamped.</returns>
    public static bool StampFlaggedRows(Span<uint> ticks, ReadOnlySpan<ulong> words, int start, int count, uint tick)
    {
        var any = false;
        var end = start + count;
        for (var word = start / RowsPerWord; word * RowsPerWord < end; word++)
        {
            var bits = words[word];
            var wordStart = word * RowsPerWord;
            var rows = Math.Min(RowsPerWord, end - wordStart);
            if (rows < RowsPerWord)
            {
                bits &= (1UL << rows) - 1;
            }

            if (bits == 0)
            {
                continue;
            }

            any = true;
            if (bits == ulong.MaxValue)
            {
                // A moving particle system flags whole words: one fill, not 64 bit tests.
                ticks.Slice(wordStart, RowsPerWord).Fill(tick);
                continue;
            }

            while (bits != 0)
            {
                ticks[wordStart + BitOperations.TrailingZeroCount(bits)] = tick;
                bits &= bits - 1;
            }
        }

        return any;
    }

    public void MarkChanged(int row, uint tick)
    {
        ChangedTicks[row] = tick;
        LastChangedTick = tick;
    }

    public void MarkChanged(int start, int count, uint tick)
    {
        ChangedTicks.Slice(start, count).Fill(tick);
        LastChangedTick = tick;
    }
}
