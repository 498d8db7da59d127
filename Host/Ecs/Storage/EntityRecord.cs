namespace SimHost.Host.Ecs;

/// <summary>
/// Where an entity slot's row lives, and the slot's current generation. Pointer-free on purpose: the record array
/// holds one entry per entity ever created, and the GC never has to scan it.
/// </summary>
internal struct EntityRecord
{
    /// <summary>The id of the archetype holding the row; meaningless while <see cref="Row"/> is negative.</summary>
    public int ArchetypeId;

    /// <summary>The row in the archetype, or -1 while the slot is free or retired.</summary>
    public int Row;

    /// <summary>The generation a live handle must carry; bumped on destroy so stale handles never match again.</summary>
    public uint Generation;
}
