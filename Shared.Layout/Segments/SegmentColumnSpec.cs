namespace SimHost.Layout.Segments;

/// <summary>What a segment column holds: a component id, the hash of its layout and the size of one element.</summary>
/// <param name="ComponentId">The component's id, unique within a segment.</param>
/// <param name="LayoutHash">The hash of the component's field layout; host and worker must agree on it.</param>
/// <param name="ElementSizeBytes">The size of one component struct in bytes.</param>
internal readonly record struct SegmentColumnSpec(uint ComponentId, ulong LayoutHash, int ElementSizeBytes);
