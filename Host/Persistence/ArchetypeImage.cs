namespace SimHost.Host.Persistence;

/// <summary>
/// A copy of one archetype's rows: entity handles, each column's bytes and changed ticks, and each column's last
/// changed tick. <see cref="Components"/> indexes <see cref="WorldImage.Components"/>, in the archetype's column order.
/// The rows are kept as bytes in the on-disk order (little-endian), so a loaded image points into the bytes read from
/// its file instead of copying them out first.
/// </summary>
internal sealed class ArchetypeImage
{
    public required int[] Components { get; init; }

    public required int Rows { get; init; }

    /// <summary>The rows' entity handles, 8 bytes each (index in the low half, generation in the high half).</summary>
    public required ReadOnlyMemory<byte> Entities { get; init; }

    /// <summary>Each column's rows, <see cref="ComponentImage.SizeBytes"/> each.</summary>
    public required ReadOnlyMemory<byte>[] Columns { get; init; }

    /// <summary>Each column's changed ticks, 4 bytes per row (empty where <see cref="UniformChangedTicks"/> has the column's one tick).</summary>
    public required ReadOnlyMemory<byte>[] ChangedTicks { get; init; }

    /// <summary>
    /// Per column, the tick every row has when a capture found the column stamped whole (see
    /// <see cref="Ecs.Column.TryGetPendingStampOfAllRows"/>), or null when its ticks are in <see cref="ChangedTicks"/>.
    /// Null altogether for an image read from files.
    /// </summary>
    public uint?[]? UniformChangedTicks { get; init; }

    public required uint[] LastChangedTicks { get; init; }
}
