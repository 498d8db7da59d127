namespace SimHost.Host.Inspecting;

/// <summary>What <c>simhost inspect</c> read from one valid segment header: rows, frame and columns.</summary>
internal sealed record SegmentSummary(string File, long LengthBytes, uint RowCount, uint RowCapacity, ulong FrameId, ulong CombinedLayoutHash, IReadOnlyList<SegmentColumnSummary> Columns);
