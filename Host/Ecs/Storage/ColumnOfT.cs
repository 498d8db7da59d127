using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// A column of <typeparamref name="T"/> values: a plain managed array, or (shared storage) a column of a mapped
/// segment whose address its <see cref="IColumnMemory"/> owner rebinds when it grows the segment or swaps buffers, or
/// (after a checkpoint load) an array in the load's <see cref="LoadArena"/> until it grows or moves to shared memory.
/// </summary>
internal sealed unsafe class Column<T> : Column
    where T : unmanaged
{
    private T[]? _array;
    private T* _pointer;
    private int _pointerCapacity;
    private LoadArena? _arena;

    public Column(int capacity)
        : this(capacity, isUninitialized: false)
    {
    }

    /// <summary>A column of <paramref name="capacity"/> rows whose values and ticks are left unwritten when <paramref name="isUninitialized"/> (the caller fills every row, e.g. a checkpoint load reading straight into it).</summary>
    public Column(int capacity, bool isUninitialized)
        : base(ComponentTypeCache<T>.Id, capacity, isUninitialized)
    {
        _array = isUninitialized ? BulkArray.AllocateToFill<T>(capacity) : new T[capacity];
    }

    /// <summary>A column of <paramref name="capacity"/> rows whose values and ticks are placed, unwritten, in a checkpoint load's <paramref name="arena"/>.</summary>
    public Column(LoadArena arena, int capacity)
        : base(ComponentTypeCache<T>.Id, arena, capacity)
    {
        _arena = arena;
        _pointer = arena.Place<T>(capacity);
        _pointerCapacity = capacity;
    }

    /// <summary>The shared memory the values live in, or null for a managed array.</summary>
    public IColumnMemory? Memory { get; private set; }

    /// <summary>Every row the column has room for; spans over it are free either way.</summary>
    public Span<T> Values
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _array is { } array ? array : new Span<T>(_pointer, _pointerCapacity);
    }

    /// <summary>
    /// Moves the values into <paramref name="memory"/>: from now on the column reads and writes the memory's current
    /// buffer, which the memory rebinds with <see cref="Bind"/>. Ticks stay managed.
    /// </summary>
    public override void MoveTo(IColumnMemory memory, int rows)
    {
        if (Memory is not null)
        {
            throw new InvalidOperationException("The column already lives in shared memory.");
        }

        // The source stays valid until the copy is done: a managed array is held here, an arena's rows leave it after.
        // Should the memory refuse the column (a limit), the column keeps its rows where they were.
        var array = _array;
        var pointer = _pointer;
        var capacity = _pointerCapacity;
        ReadOnlySpan<T> source = array is not null ? array.AsSpan(0, rows) : new ReadOnlySpan<T>(pointer, rows);
        _array = null;
        Memory = memory;
        try
        {
            memory.Attach(this, Capacity);
        }
        catch
        {
            _array = array;
            _pointer = pointer;
            _pointerCapacity = capacity;
            Memory = null;
            throw;
        }

        source.CopyTo(Values);
        LeaveArena(pointer, capacity);
    }

    public override void MoveToManaged()
    {
        if (_array is not null)
        {
            return;
        }

        var array = new T[Capacity];
        Values[..Math.Min(array.Length, _pointerCapacity)].CopyTo(array);
        LeaveArena(_pointer, _pointerCapacity);
        _array = array;
        _pointer = null;
        _pointerCapacity = 0;
        Memory = null;
    }

    /// <summary>Points the column at <paramref name="rowCapacity"/> values at <paramref name="address"/> (shared storage only).</summary>
    public override void Bind(nint address, int rowCapacity)
    {
        _pointer = (T*)address;
        _pointerCapacity = rowCapacity;
    }

    public override void Resize(int capacity)
    {
        uint[] ticks = GC.AllocateUninitializedArray<uint>(capacity);
        int keep = Math.Min(capacity, Capacity);
        ChangedTicks[..keep].CopyTo(ticks);
        ReplaceTicks(ticks);
        if (Memory is { } memory)
        {
            // The memory grows every column of its archetype at once and rebinds them; a second call is a no-op.
            memory.EnsureCapacity(capacity, keep);
            return;
        }

        // Uninitialised arrays: every row below Count is always written before it is read.
        T[] values = GC.AllocateUninitializedArray<T>(capacity);
        Span<T> old = Values;
        old[..Math.Min(keep, old.Length)].CopyTo(values);
        LeaveArena(_pointer, _pointerCapacity);
        _array = values;
        _pointer = null;
        _pointerCapacity = 0;
    }

    public override bool IsInLoadArena => _arena is not null || base.IsInLoadArena;

    // The values' rows in a load's arena (at `pointer`, `capacity` rows) go back to it, once copied elsewhere.
    private void LeaveArena(T* pointer, int capacity)
    {
        if (_arena is { } arena)
        {
            _arena = null;
            arena.Leave(pointer, (long)capacity * sizeof(T));
        }
    }

    public override void MoveRow(int from, int to)
    {
        var values = Values;
        values[to] = values[from];
        ChangedTicks[to] = ChangedTicks[from];
    }

    public override void CopyRowTo(int row, Column destination, int destinationRow)
    {
        var typed = (Column<T>)destination;
        typed.Values[destinationRow] = Values[row];
        typed.ChangedTicks[destinationRow] = ChangedTicks[row];
        if (ChangedTicks[row] > typed.LastChangedTick)
        {
            typed.LastChangedTick = ChangedTicks[row];
        }
    }

    public override Span<byte> AsBytes(int count) => MemoryMarshal.AsBytes(Values[..count]);

    public override Array? ManagedValues => _array;

    public override void WriteBytes(int row, ReadOnlySpan<byte> value) =>
        Values[row] = MemoryMarshal.Read<T>(value);

    public override void Fill(int start, int count, ReadOnlySpan<byte> value) =>
        Values.Slice(start, count).Fill(MemoryMarshal.Read<T>(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T GetRef(int row) => ref Values[row];
}
