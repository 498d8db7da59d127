using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SimHost.Host.Ecs;

/// <summary>A fixed 256-bit set of component ids: the key of an archetype and the filters of a query.</summary>
internal struct ComponentMask : IEquatable<ComponentMask>
{
    public const int Capacity = 256;

    private ulong _w0;
    private ulong _w1;
    private ulong _w2;
    private ulong _w3;

    public readonly bool IsEmpty => (_w0 | _w1 | _w2 | _w3) == 0;

    public readonly int Count =>
        BitOperations.PopCount(_w0) + BitOperations.PopCount(_w1) + BitOperations.PopCount(_w2) + BitOperations.PopCount(_w3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool Has(int id) => (Word(id >> 6) & (1UL << id)) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(int id) => WordRef(id >> 6) |= 1UL << id;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Clear(int id) => WordRef(id >> 6) &= ~(1UL << id);

    public readonly ComponentMask With(int id)
    {
        ComponentMask copy = this;
        copy.Set(id);
        return copy;
    }

    public readonly ComponentMask Without(int id)
    {
        ComponentMask copy = this;
        copy.Clear(id);
        return copy;
    }

    /// <summary>Whether every bit of <paramref name="other"/> is set here.</summary>
    public readonly bool ContainsAll(in ComponentMask other) =>
        (_w0 & other._w0) == other._w0 && (_w1 & other._w1) == other._w1
        && (_w2 & other._w2) == other._w2 && (_w3 & other._w3) == other._w3;

    /// <summary>Whether any bit of <paramref name="other"/> is set here.</summary>
    public readonly bool ContainsAny(in ComponentMask other) =>
        ((_w0 & other._w0) | (_w1 & other._w1) | (_w2 & other._w2) | (_w3 & other._w3)) != 0;

    /// <summary>Writes the set ids in ascending order into <paramref name="ids"/> and returns how many were written.</summary>
    public readonly int CopyIdsTo(Span<int> ids)
    {
        int count = 0;
        for (int word = 0; word < 4; word++)
        {
            ulong bits = Word(word);
            while (bits != 0)
            {
                ids[count++] = (word << 6) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
            }
        }

        return count;
    }

    public readonly int[] ToIds()
    {
        var ids = new int[Count];
        CopyIdsTo(ids);
        return ids;
    }

    public readonly bool Equals(ComponentMask other) =>
        _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    public override readonly bool Equals(object? obj) => obj is ComponentMask other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3);

    private readonly ulong Word(int index) => index switch
    {
        0 => _w0,
        1 => _w1,
        2 => _w2,
        _ => _w3,
    };

    [UnscopedRef]
    private ref ulong WordRef(int index)
    {
        switch (index)
        {
            case 0:
                return ref _w0;
            case 1:
                return ref _w1;
            case 2:
                return ref _w2;
            default:
                return ref _w3;
        }
    }
}
