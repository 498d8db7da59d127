namespace SimHost.Host.Persistence;

/// <summary>One column to write into a checkpoint segment: its id and layout hash in the column table, and its rows.</summary>
internal readonly record struct SegmentColumnData(uint Id, ulong LayoutHash, int ElementSizeBytes, ReadOnlyMemory<byte> Data);
