namespace SimHost.Host.Ecs;

/// <summary>Where an entity slot's row lives, and the slot's current generation.</summary>
internal struct EntityRecord
{
    /// <summary>The archetype holding the row; null while the slot is free or retired.</summary>
    public Archetype? Archetype;

    public int Row;

    /// <summary>The generation a live handle must carry; bumped on destroy so stale handles never match again.</summary>
    public uint Generation;
}
