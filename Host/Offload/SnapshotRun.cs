using SimHost.Host.Ecs;

namespace SimHost.Host.Offload;

/// <summary>
/// Where one run of snapshot rows came from: <paramref name="RowCount"/> consecutive rows of one segment copied from
/// consecutive rows of one archetype, so commit can copy them back as blocks.
/// </summary>
/// <param name="Archetype">The archetype the rows were copied from.</param>
/// <param name="ArchetypeRow">The first archetype row.</param>
/// <param name="SegmentIndex">The segment the rows were copied into.</param>
/// <param name="SegmentRow">The first segment row.</param>
/// <param name="RowCount">The number of rows.</param>
/// <param name="StructureVersion">
/// The archetype's <see cref="Archetype.StructureVersion"/> when the rows were copied: while it is unchanged, the
/// archetype rows still hold the entities the segment rows do.
/// </param>
internal readonly record struct SnapshotRun(Archetype Archetype, int ArchetypeRow, int SegmentIndex, int SegmentRow, int RowCount, int StructureVersion);
