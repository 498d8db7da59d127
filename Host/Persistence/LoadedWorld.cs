using SimHost.Host.Ecs;

namespace SimHost.Host.Persistence;

/// <summary>
/// A checkpoint read and checked in full but not yet part of any world: the entity records, the free list, and per
/// archetype its component mask, entity array and columns, each read straight from its file into the array the world
/// will keep. <see cref="World.AdoptLoaded"/> hands the arrays over once every check has passed, so a refused
/// checkpoint never leaves a half-loaded world.
/// </summary>
internal sealed class LoadedWorld
{
    public required uint ChangeTick { get; init; }

    /// <summary>One record per slot (at least <see cref="SlotCount"/>): generation, archetype and row of live slots, row -1 otherwise.</summary>
    public required RowBuffer<EntityRecord> Records { get; init; }

    public required int SlotCount { get; init; }

    /// <summary>The free list in stack order; at least <see cref="FreeCount"/> long.</summary>
    public required int[] FreeSlots { get; init; }

    public required int FreeCount { get; init; }

    public required int EntityCount { get; init; }

    /// <summary>This process's type of each component of the checkpoint, in the manifest's order.</summary>
    public required ComponentType[] Types { get; init; }

    public required ComponentImage[] Components { get; init; }

    /// <summary>Per archetype, in creation order: its components; archetype 0 is the empty one.</summary>
    public required ComponentMask[] Masks { get; init; }

    /// <summary>Per archetype: its entities, exactly its rows.</summary>
    public required RowBuffer<Entity>[] Entities { get; init; }

    /// <summary>Per archetype: its columns, exactly its rows each, last changed ticks set.</summary>
    public required Column[][] Columns { get; init; }
}
