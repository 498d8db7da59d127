namespace SimHost.Host.Inspecting;

/// <summary>One column-table entry of a segment: component id, element size, layout hash.</summary>
internal sealed record SegmentColumnSummary(uint ComponentId, int ElementSizeBytes, ulong LayoutHash);
