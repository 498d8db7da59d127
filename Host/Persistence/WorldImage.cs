namespace SimHost.Host.Persistence;

/// <summary>
/// A copy of everything a world's next frame depends on, detached from the world: the change tick, the entity table
/// (each slot's generation and the free list in stack order), the components and every archetype in creation order.
/// Taken between frames on the frame thread (<see cref="Ecs.World.CaptureImage"/>), written to disk beside the frames.
/// </summary>
internal sealed class WorldImage
{
    public required uint ChangeTick { get; init; }

    public required uint[] Generations { get; init; }

    public required int[] FreeSlots { get; init; }

    public required ComponentImage[] Components { get; init; }

    public required ArchetypeImage[] Archetypes { get; init; }

    /// <summary>The live entities: every archetype's rows.</summary>
    public long EntityCount
    {
        get
        {
            long count = 0;
            foreach (var archetype in Archetypes)
            {
                count += archetype.Rows;
            }

            return count;
        }
    }

    /// <summary>The bytes of every column, entity handle and tick: what a checkpoint of this world writes, roughly.</summary>
    public long PayloadBytes
    {
        get
        {
            long bytes = ((long)Generations.Length + FreeSlots.Length) * sizeof(ulong);
            foreach (var archetype in Archetypes)
            {
                bytes += (long)archetype.Rows * sizeof(ulong);
                foreach (var column in archetype.Columns)
                {
                    bytes += column.Length + ((long)archetype.Rows * sizeof(uint));
                }
            }

            return bytes;
        }
    }
}
