namespace SimHost.Host.Persistence;

/// <summary>
/// One column to write into a checkpoint segment: its id and layout hash in the column table, and its rows, given as
/// bytes or, when every row holds the same 4-byte value (a changed-tick column a system stamped whole), as that value.
/// </summary>
internal readonly record struct SegmentColumnData(uint Id, ulong LayoutHash, int ElementSizeBytes, ReadOnlyMemory<byte> Data, uint? UniformValue = null);
