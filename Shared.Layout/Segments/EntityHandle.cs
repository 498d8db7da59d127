namespace SimHost.Layout.Segments;

/// <summary>
/// One row of a segment's entity column: an entity index and its generation packed into a u64 (low 32 bits index,
/// high 32 bits generation), the same bit layout as the host's ECS entity.
/// </summary>
/// <param name="Index">The entity's slot index.</param>
/// <param name="Generation">The generation of that slot, so a reused index is told apart from the old entity.</param>
public readonly record struct EntityHandle(uint Index, uint Generation)
{
    /// <summary>The packed form stored in the entity column.</summary>
    public ulong Value => ((ulong)Generation << 32) | Index;

    /// <summary>Unpacks a handle from its stored u64 form.</summary>
    /// <param name="value">The packed value: low 32 bits index, high 32 bits generation.</param>
    /// <returns>The handle.</returns>
    public static EntityHandle FromValue(ulong value) => new((uint)value, (uint)(value >> 32));
}
