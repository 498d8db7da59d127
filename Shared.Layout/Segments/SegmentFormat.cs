namespace SimHost.Layout.Segments;

/// <summary>
/// The constants of segment file format v1: sizes, alignment, limits and the byte offset of every header and
/// column-table field. The authoritative description is <c>docs/segment-format.md</c>.
/// </summary>
internal static class SegmentFormat
{
    /// <summary>The magic number in the first 8 bytes: ASCII <c>SIMHSEG1</c> read as a little-endian u64.</summary>
    public const ulong Magic = 0x3147_4553_484D_4953UL;

    /// <summary>The format version this library writes and the only one it reads.</summary>
    public const uint Version = 1;

    /// <summary>The size of the fixed header in bytes; the header occupies bytes [0, 128).</summary>
    public const int HeaderSizeBytes = 128;

    /// <summary>The size of one column-table entry in bytes.</summary>
    public const int ColumnEntrySizeBytes = 48;

    /// <summary>Every region (column table, entity column, component column, changed bitset) starts on this boundary.</summary>
    public const int Alignment = 64;

    /// <summary>The most component columns one segment may hold; bounds the column table a reader will load.</summary>
    public const int MaxColumns = 256;

    /// <summary>The largest component struct a column may hold, in bytes.</summary>
    public const int MaxElementSizeBytes = 65536;

    /// <summary>The largest row capacity: the entity column (8 bytes a row) must fit one span.</summary>
    public const int MaxRowCapacity = int.MaxValue / sizeof(ulong);

    /// <summary>The size of one entity handle in the entity column, in bytes.</summary>
    public const int EntityHandleSizeBytes = sizeof(ulong);

    /// <summary>Rows covered by one changed-bitset word.</summary>
    public const int RowsPerChangedWord = 64;

    // Header field offsets (see docs/segment-format.md, "Header").
    internal const int MagicOffset = 0;
    internal const int VersionOffset = 8;
    internal const int HeaderSizeOffset = 12;
    internal const int TotalSizeOffset = 16;
    internal const int CombinedLayoutHashOffset = 24;
    internal const int RowCapacityOffset = 32;
    internal const int RowCountOffset = 36;
    internal const int FrameIdOffset = 40;
    internal const int JobSequenceOffset = 48;
    internal const int ColumnCountOffset = 56;
    internal const int ColumnEntrySizeOffset = 60;
    internal const int ColumnTableOffsetOffset = 64;
    internal const int EntityColumnOffsetOffset = 72;
    internal const int EntityColumnLengthOffset = 80;
    internal const int ReservedOffset = 88;

    // Column-table entry field offsets, relative to the entry (see docs/segment-format.md, "Column table").
    internal const int EntryComponentIdOffset = 0;
    internal const int EntryElementSizeOffset = 4;
    internal const int EntryLayoutHashOffset = 8;
    internal const int EntryColumnOffsetOffset = 16;
    internal const int EntryColumnLengthOffset = 24;
    internal const int EntryChangedOffsetOffset = 32;
    internal const int EntryChangedLengthOffset = 40;

    /// <summary>The number of u64 words of a changed bitset covering <paramref name="rowCapacity"/> rows.</summary>
    /// <param name="rowCapacity">The segment's row capacity.</param>
    /// <returns><c>ceil(rowCapacity / 64)</c>.</returns>
    public static int ChangedWordCount(int rowCapacity) => (int)(((long)rowCapacity + RowsPerChangedWord - 1) / RowsPerChangedWord);

    /// <summary>Rounds <paramref name="value"/> up to the next multiple of <see cref="Alignment"/>.</summary>
    internal static long AlignUp(long value) => (value + Alignment - 1) & ~(long)(Alignment - 1);
}
