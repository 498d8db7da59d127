namespace SimHost.Layout.Segments;

/// <summary>Format-level computations shared by the writer and the reader.</summary>
internal static class SegmentCodec
{
    private const ulong FnvOffsetBasis = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>
    /// FNV-1a 64 over each column's component id (u32 LE), element size (u32 LE) and layout hash (u64 LE), in
    /// table order: the 16 identity bytes at the start of every column-table entry.
    /// </summary>
    public static ulong CombineLayoutHashes(ReadOnlySpan<SegmentColumn> columns)
    {
        ulong hash = FnvOffsetBasis;
        foreach (ref readonly var column in columns)
        {
            hash = Mix(hash, column.ComponentId, 4);
            hash = Mix(hash, (uint)column.ElementSizeBytes, 4);
            hash = Mix(hash, column.LayoutHash, 8);
        }

        return hash;
    }

    /// <summary>Writes the header and column table of <paramref name="plan"/> into the start of a fresh segment.</summary>
    public static void WriteHeaderAndTable(SegmentPlan plan, Span<byte> headerBytes, Span<byte> tableBytes)
    {
        SegmentHeader.For(plan).Write(headerBytes);
        for (int i = 0; i < plan.ColumnCount; i++)
        {
            SegmentColumnEntry.For(plan.Column(i)).Write(tableBytes[(i * SegmentFormat.ColumnEntrySizeBytes)..]);
        }
    }

    // Little-endian byte order, so the hash is the same on every host.
    private static ulong Mix(ulong hash, ulong value, int byteCount)
    {
        for (int i = 0; i < byteCount; i++)
        {
            hash ^= (byte)(value >> (8 * i));
            hash *= FnvPrime;
        }

        return hash;
    }
}
