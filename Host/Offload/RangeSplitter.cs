using SimHost.Layout.Jobs;

namespace SimHost.Host.Offload;

/// <summary>
/// Splits a snapshot's rows into ranges for parallel slots: about one range per slot, each starting on a multiple of
/// 64 rows (no two ranges share a changed-bitset word) and lying inside one segment.
/// </summary>
internal static class RangeSplitter
{
    /// <summary>Splits each whole-segment range of <paramref name="segments"/> for <paramref name="slots"/> slots.</summary>
    /// <param name="segments">One range per segment, covering its rows in use from row 0, in segment order.</param>
    /// <param name="slots">How many ranges may run at once; at least one.</param>
    /// <param name="ranges">
    /// Cleared, then filled with the ranges in segment and row order, each its segment's range with other rows;
    /// empty when there are no rows.
    /// </param>
    /// <remarks>
    /// Every range but the last of each segment has the same length, a multiple of 64; segment boundaries may add
    /// at most one extra range per segment.
    /// </remarks>
    public static void Split(ReadOnlySpan<JobRange> segments, int slots, List<JobRange> ranges)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        ArgumentNullException.ThrowIfNull(ranges);
        ranges.Clear();
        long total = 0;
        foreach (var segment in segments)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(segment.RowCount);
            total += segment.RowCount;
        }

        if (total == 0)
        {
            return;
        }

        const int Alignment = JobRange.RowAlignment;
        var perSlot = (total + slots - 1) / slots;
        var length = (int)Math.Min(((perSlot + Alignment - 1) / Alignment) * Alignment, int.MaxValue & ~(Alignment - 1));
        foreach (var segment in segments)
        {
            var rows = segment.RowCount;
            for (var start = 0; start < rows; start += length)
            {
                ranges.Add(segment with { RowStart = start, RowCount = Math.Min(length, rows - start) });
                if (rows - start <= length)
                {
                    break;
                }
            }
        }
    }
}
