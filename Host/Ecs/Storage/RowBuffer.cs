using System.Runtime.CompilerServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// The rows of one array the ECS keeps beside its columns' values (an archetype's entity handles, a column's change
/// ticks, the entity records): a managed array, or, after a checkpoint load, an array in the load's
/// <see cref="LoadArena"/> until it is first replaced (it grows), when it leaves the arena for the managed array.
/// </summary>
/// <remarks>
/// A mutable struct held in a field of its owner and never copied: <see cref="Replace"/> must act on the field itself.
/// The arena reference keeps the arena alive for as long as an owner points into it.
/// </remarks>
internal unsafe struct RowBuffer<T>
    where T : unmanaged
{
    private T[]? _array;
    private T* _pointer;
    private int _length;
    private LoadArena? _arena;

    /// <summary>Rows in a managed array.</summary>
    public RowBuffer(T[] array) => _array = array;

    /// <summary>Rows placed in <paramref name="arena"/>, their contents left for the caller to write.</summary>
    public RowBuffer(LoadArena arena, int length)
    {
        _arena = arena;
        _pointer = arena.Place<T>(length);
        _length = length;
    }

    /// <summary>Every row the buffer has room for.</summary>
    public readonly Span<T> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _array is { } array ? array : new Span<T>(_pointer, _length);
    }

    /// <summary>How many rows the buffer has room for.</summary>
    public readonly int Length => _array is { } array ? array.Length : _length;

    /// <summary>The managed array holding the rows, or null while they live in a load's arena.</summary>
    public readonly T[]? Array => _array;

    /// <summary>Whether the rows live in a load's arena (not a managed array).</summary>
    public readonly bool IsInArena => _arena is not null;

    /// <summary>Makes <paramref name="array"/> the rows (the caller has copied what it keeps); rows in an arena leave it.</summary>
    public void Replace(T[] array)
    {
        if (_arena is { } arena)
        {
            arena.Leave(_pointer, (long)_length * sizeof(T));
            _arena = null;
            _pointer = null;
            _length = 0;
        }

        _array = array;
    }
}
