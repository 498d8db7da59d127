using System.Runtime.CompilerServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// A handle to an entity: a 32-bit slot index in the low half of <see cref="Value"/> and a 32-bit generation in the
/// high half. The bit layout is shared with the segment format's entity column; do not change it.
/// </summary>
/// <param name="Value">The packed handle: low 32 bits index, high 32 bits generation.</param>
public readonly record struct Entity(ulong Value)
{
    /// <summary>The null handle; never alive. Live entities always have a generation of at least one.</summary>
    public static Entity Null => default;

    /// <summary>Creates a handle from its slot index and generation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Entity(int index, uint generation)
        : this(((ulong)generation << 32) | (uint)index)
    {
    }

    /// <summary>The slot index, reused after the entity is destroyed.</summary>
    public int Index
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (int)(uint)Value;
    }

    /// <summary>The generation of the slot when this handle was issued; zero for the null and deferred handles.</summary>
    public uint Generation
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (uint)(Value >> 32);
    }

    /// <summary>Whether this is the null handle.</summary>
    public bool IsNull => Value == 0;

    /// <summary>
    /// Whether this is a placeholder issued by <see cref="CommandBuffer.Create"/>: generation zero with a non-zero
    /// index. It becomes a real entity at playback.
    /// </summary>
    public bool IsDeferred => Generation == 0 && Value != 0;

    /// <summary>Formats the handle as <c>Entity(index:generation)</c>.</summary>
    public override string ToString() => IsDeferred
        ? $"Entity(deferred #{Index})"
        : $"Entity({Index}:{Generation})";
}
