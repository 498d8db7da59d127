using System.Globalization;

namespace SimHost.Host.Persistence;

/// <summary>The names of the files inside one checkpoint (see docs/checkpoints.md).</summary>
internal static class CheckpointFileNames
{
    /// <summary>The manifest: JSON, then one line with its own XxHash128. Written last.</summary>
    public const string Manifest = "manifest";

    /// <summary>The entity table: one row per slot, whose handle carries the slot's generation.</summary>
    public const string EntityTable = "entities.seg";

    /// <summary>The free list: one row per free slot, in stack order (the last row is reused first).</summary>
    public const string FreeSlots = "free-slots.seg";

    /// <summary>The segment file of archetype <paramref name="id"/>.</summary>
    public static string Archetype(int id) => string.Create(CultureInfo.InvariantCulture, $"archetype-{id:D4}.seg");
}
