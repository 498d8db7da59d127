using System.Globalization;
using System.Runtime.InteropServices;

namespace SimHost.Host.Persistence;

/// <summary>
/// Checks that a world image read from a checkpoint describes one consistent world before anything is loaded: every
/// live handle names its slot's generation exactly once, every other slot is free (once) or retired, and the
/// archetypes' columns have the sizes their components say.
/// </summary>
internal static class WorldImageCheck
{
    public static void Check(WorldImage image)
    {
        var slots = image.Generations.Length;
        var live = new bool[slots];
        if (image.Archetypes.Length == 0 || image.Archetypes[0].Components.Length != 0)
        {
            throw Fail("archetype 0 must be the empty archetype");
        }

        for (var a = 0; a < image.Archetypes.Length; a++)
        {
            var archetype = image.Archetypes[a];
            var seen = new HashSet<int>();
            for (var c = 0; c < archetype.Components.Length; c++)
            {
                var component = archetype.Components[c];
                if ((uint)component >= (uint)image.Components.Length || !seen.Add(component))
                {
                    throw Fail($"archetype {a} lists component {component} twice or out of range");
                }

                if (archetype.Columns[c].Length != (long)archetype.Rows * image.Components[component].SizeBytes || archetype.ChangedTicks[c].Length != (long)archetype.Rows * sizeof(uint))
                {
                    throw Fail($"archetype {a}: column {c} does not hold {archetype.Rows} rows of {image.Components[component].Name}");
                }
            }

            var handles = MemoryMarshal.Cast<byte, ulong>(archetype.Entities.Span);
            if (handles.Length != archetype.Rows)
            {
                throw Fail($"archetype {a}: the entity column does not hold {archetype.Rows} rows");
            }

            for (var row = 0; row < archetype.Rows; row++)
            {
                var handle = handles[row];
                var index = (uint)handle;
                var generation = (uint)(handle >> 32);
                if (index >= (uint)slots || live[index] || image.Generations[index] != generation || generation == 0)
                {
                    throw Fail(string.Create(CultureInfo.InvariantCulture, $"archetype {a} row {row}: entity {index}v{generation} is not a live slot of the entity table, or appears twice"));
                }

                live[index] = true;
            }
        }

        var free = new bool[slots];
        foreach (var index in image.FreeSlots)
        {
            if ((uint)index >= (uint)slots || live[index] || free[index] || image.Generations[index] == uint.MaxValue)
            {
                throw Fail(string.Create(CultureInfo.InvariantCulture, $"free slot {index} is out of range, alive, retired or listed twice"));
            }

            free[index] = true;
        }

        for (var slot = 0; slot < slots; slot++)
        {
            if (!live[slot] && !free[slot] && image.Generations[slot] != uint.MaxValue)
            {
                throw Fail(string.Create(CultureInfo.InvariantCulture, $"slot {slot} is neither alive, free nor retired"));
            }
        }
    }

    private static CheckpointException Fail(string detail) => new(CheckpointError.InconsistentWorld, CheckpointFileNames.EntityTable, detail);
}
