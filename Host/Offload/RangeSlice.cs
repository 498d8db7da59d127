namespace SimHost.Host.Offload;

/// <summary>One range of a snapshot: rows [<paramref name="RowStart"/>, +<paramref name="RowCount"/>) of one segment.</summary>
/// <param name="SegmentIndex">The segment the range lies in.</param>
/// <param name="RowStart">The first row, a multiple of 64 so no two ranges share a changed-bitset word.</param>
/// <param name="RowCount">The number of rows, at least one.</param>
internal readonly record struct RangeSlice(int SegmentIndex, int RowStart, int RowCount)
{
    /// <summary>One past the last row.</summary>
    public int RowEnd => RowStart + RowCount;
}
