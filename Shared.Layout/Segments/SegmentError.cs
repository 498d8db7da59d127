namespace SimHost.Layout.Segments;

/// <summary>Why a segment file was rejected; each value names one validation rule of format v1.</summary>
internal enum SegmentError
{
    /// <summary>The file could not be opened, read or mapped.</summary>
    Unreadable = 1,

    /// <summary>The file is shorter than the fixed header.</summary>
    Truncated,

    /// <summary>The first 8 bytes are not <c>SIMHSEG1</c>.</summary>
    BadMagic,

    /// <summary>The format version is not 1.</summary>
    UnsupportedVersion,

    /// <summary>The header size field is not 128.</summary>
    BadHeaderSize,

    /// <summary>The column entry size field is not 48.</summary>
    BadColumnEntrySize,

    /// <summary>A reserved header byte is not zero.</summary>
    ReservedNotZero,

    /// <summary>The header's total size differs from the file's real length.</summary>
    TotalSizeMismatch,

    /// <summary>The row capacity exceeds the format's limit.</summary>
    RowCapacityOutOfRange,

    /// <summary>The row count exceeds the row capacity.</summary>
    RowCountExceedsCapacity,

    /// <summary>The column count exceeds the format's limit.</summary>
    ColumnCountOutOfRange,

    /// <summary>The column table does not lie inside the file after the header.</summary>
    ColumnTableOutOfBounds,

    /// <summary>A region (entity column, component column or changed bitset) does not lie inside the file.</summary>
    RegionOutOfBounds,

    /// <summary>A region does not start on a 64-byte boundary.</summary>
    MisalignedRegion,

    /// <summary>A region's length disagrees with row capacity × element size (or the bitset word count).</summary>
    RegionLengthMismatch,

    /// <summary>Two regions overlap.</summary>
    OverlappingRegions,

    /// <summary>An element size is zero or exceeds the format's limit.</summary>
    ElementSizeOutOfRange,

    /// <summary>Two columns carry the same component id.</summary>
    DuplicateComponent,

    /// <summary>The combined layout hash in the header disagrees with the column table.</summary>
    CombinedHashMismatch,

    /// <summary>A component the caller expects has no column.</summary>
    MissingComponent,

    /// <summary>A column's layout hash differs from the one the caller expects.</summary>
    LayoutHashMismatch,

    /// <summary>A column's element size differs from the one the caller expects.</summary>
    ElementSizeMismatch,
}
