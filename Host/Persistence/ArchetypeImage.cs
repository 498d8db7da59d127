namespace SimHost.Host.Persistence;

/// <summary>
/// A copy of one archetype's rows: entity handles, each column's bytes and changed ticks, and each column's last
/// changed tick. <see cref="Components"/> indexes <see cref="WorldImage.Components"/>, in the archetype's column order.
/// </summary>
internal sealed class ArchetypeImage
{
    public required int[] Components { get; init; }

    public required int Rows { get; init; }

    public required ulong[] Entities { get; init; }

    public required byte[][] Columns { get; init; }

    public required uint[][] ChangedTicks { get; init; }

    public required uint[] LastChangedTicks { get; init; }
}
