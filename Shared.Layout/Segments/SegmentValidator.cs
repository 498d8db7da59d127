namespace SimHost.Layout.Segments;

/// <summary>
/// Checks every rule of format v1 against bytes copied out of a segment file, before anything is mapped or trusted.
/// Works on raw unsigned fields with overflow-free comparisons, so no stored value can wrap an offset.
/// </summary>
internal static class SegmentValidator
{
    /// <summary>Validates the fixed header against the file's real length.</summary>
    /// <returns>The validated header; its table bounds are safe to read.</returns>
    public static SegmentHeader ValidateHeader(string path, long fileLength, ReadOnlySpan<byte> headerBytes)
    {
        if (fileLength < SegmentFormat.HeaderSizeBytes || headerBytes.Length < SegmentFormat.HeaderSizeBytes)
        {
            throw Fail(SegmentError.Truncated, path, $"file is {fileLength} bytes, shorter than the {SegmentFormat.HeaderSizeBytes}-byte header");
        }

        var header = SegmentHeader.Read(headerBytes);
        if (header.Magic != SegmentFormat.Magic)
        {
            throw Fail(SegmentError.BadMagic, path, $"magic 0x{header.Magic:X16} is not SIMHSEG1; not a segment file");
        }

        if (header.Version != SegmentFormat.Version)
        {
            throw Fail(SegmentError.UnsupportedVersion, path, $"format version {header.Version} is not supported (expected {SegmentFormat.Version})");
        }

        if (header.HeaderSizeBytes != SegmentFormat.HeaderSizeBytes)
        {
            throw Fail(SegmentError.BadHeaderSize, path, $"header size {header.HeaderSizeBytes} is not {SegmentFormat.HeaderSizeBytes}");
        }

        if (header.ColumnEntrySizeBytes != SegmentFormat.ColumnEntrySizeBytes)
        {
            throw Fail(SegmentError.BadColumnEntrySize, path, $"column entry size {header.ColumnEntrySizeBytes} is not {SegmentFormat.ColumnEntrySizeBytes}");
        }

        if (!header.IsReservedZero)
        {
            throw Fail(SegmentError.ReservedNotZero, path, $"reserved header bytes {SegmentFormat.ReservedOffset}..{SegmentFormat.HeaderSizeBytes - 1} are not zero");
        }

        if (header.TotalSizeBytes != (ulong)fileLength)
        {
            throw Fail(SegmentError.TotalSizeMismatch, path, $"header says {header.TotalSizeBytes} bytes but the file is {fileLength} bytes");
        }

        if (header.RowCapacity > SegmentFormat.MaxRowCapacity)
        {
            throw Fail(SegmentError.RowCapacityOutOfRange, path, $"row capacity {header.RowCapacity} exceeds {SegmentFormat.MaxRowCapacity}");
        }

        if (header.RowCount > header.RowCapacity)
        {
            throw Fail(SegmentError.RowCountExceedsCapacity, path, $"row count {header.RowCount} exceeds row capacity {header.RowCapacity}");
        }

        if (header.ColumnCount > SegmentFormat.MaxColumns)
        {
            throw Fail(SegmentError.ColumnCountOutOfRange, path, $"column count {header.ColumnCount} exceeds {SegmentFormat.MaxColumns}");
        }

        ulong tableLength = (ulong)header.ColumnCount * SegmentFormat.ColumnEntrySizeBytes;
        if (header.ColumnTableOffset < SegmentFormat.HeaderSizeBytes || !IsInside(header.ColumnTableOffset, tableLength, (ulong)fileLength))
        {
            throw Fail(
                SegmentError.ColumnTableOutOfBounds,
                path,
                $"column table [{header.ColumnTableOffset}, +{tableLength}) is not inside the file after the header ({fileLength} bytes)");
        }

        if (header.ColumnTableOffset % SegmentFormat.Alignment != 0)
        {
            throw Fail(SegmentError.MisalignedRegion, path, $"column table offset {header.ColumnTableOffset} is not {SegmentFormat.Alignment}-byte aligned");
        }

        return header;
    }

    /// <summary>Validates the column table and every region, then the caller's expectation.</summary>
    /// <returns>The plan rebuilt from the validated numbers; the only thing a reader addresses the mapping through.</returns>
    public static SegmentPlan ValidateTable(
        string path, in SegmentHeader header, ReadOnlySpan<byte> tableBytes, SegmentExpectation? expected)
    {
        ulong fileLength = header.TotalSizeBytes;
        int rowCapacity = (int)header.RowCapacity;
        ulong changedLength = (ulong)SegmentFormat.ChangedWordCount(rowCapacity) * sizeof(ulong);

        CheckRegion(path, "entity column", header.EntityColumnOffset, header.EntityColumnLengthBytes, (ulong)rowCapacity * SegmentFormat.EntityHandleSizeBytes, fileLength);

        int count = (int)header.ColumnCount;
        var columns = new SegmentColumn[count];
        for (int i = 0; i < count; i++)
        {
            var entry = SegmentColumnEntry.Read(tableBytes[(i * SegmentFormat.ColumnEntrySizeBytes)..]);
            if (entry.ElementSizeBytes is 0 or > SegmentFormat.MaxElementSizeBytes)
            {
                throw Fail(SegmentError.ElementSizeOutOfRange, path, $"column {i} (component {entry.ComponentId}): element size {entry.ElementSizeBytes} is not 1..{SegmentFormat.MaxElementSizeBytes}");
            }

            ulong columnLength = (ulong)rowCapacity * entry.ElementSizeBytes;
            if (columnLength > int.MaxValue)
            {
                throw Fail(SegmentError.RegionLengthMismatch, path, $"column {i} (component {entry.ComponentId}): {columnLength} bytes exceed the 2 GiB column limit");
            }

            CheckRegion(path, $"column {i} (component {entry.ComponentId}) data", entry.ColumnOffset, entry.ColumnLengthBytes, columnLength, fileLength);
            CheckRegion(path, $"column {i} (component {entry.ComponentId}) changed bitset", entry.ChangedOffset, entry.ChangedLengthBytes, changedLength, fileLength);

            for (int j = 0; j < i; j++)
            {
                if (columns[j].ComponentId == entry.ComponentId)
                {
                    throw Fail(SegmentError.DuplicateComponent, path, $"columns {j} and {i} both hold component {entry.ComponentId}");
                }
            }

            columns[i] = new SegmentColumn(
                entry.ComponentId,
                entry.LayoutHash,
                (int)entry.ElementSizeBytes,
                (long)entry.ColumnOffset,
                (long)entry.ColumnLengthBytes,
                (long)entry.ChangedOffset,
                (long)entry.ChangedLengthBytes);
        }

        CheckNoOverlap(path, header, columns);

        ulong combined = SegmentCodec.CombineLayoutHashes(columns);
        if (combined != header.CombinedLayoutHash)
        {
            throw Fail(SegmentError.CombinedHashMismatch, path, $"combined layout hash 0x{header.CombinedLayoutHash:X16} does not match the column table (0x{combined:X16})");
        }

        if (expected is not null)
        {
            CheckExpectation(path, columns, expected);
        }

        return new SegmentPlan(
            rowCapacity, columns, (long)header.ColumnTableOffset, (long)header.EntityColumnOffset, (long)fileLength, combined);
    }

    private static void CheckRegion(string path, string name, ulong offset, ulong length, ulong expectedLength, ulong fileLength)
    {
        if (length != expectedLength)
        {
            throw Fail(SegmentError.RegionLengthMismatch, path, $"{name} is {length} bytes, expected {expectedLength}");
        }

        if (offset < SegmentFormat.HeaderSizeBytes || !IsInside(offset, length, fileLength))
        {
            throw Fail(SegmentError.RegionOutOfBounds, path, $"{name} [{offset}, +{length}) is not inside the file after the header ({fileLength} bytes)");
        }

        if (offset % SegmentFormat.Alignment != 0)
        {
            throw Fail(SegmentError.MisalignedRegion, path, $"{name} offset {offset} is not {SegmentFormat.Alignment}-byte aligned");
        }
    }

    private static void CheckNoOverlap(string path, in SegmentHeader header, SegmentColumn[] columns)
    {
        // Every region is inside the file by now, so offsets and ends fit a long.
        var regions = new (long Start, long End, string Name)[2 + (2 * columns.Length)];
        int n = 0;
        regions[n++] = ((long)header.ColumnTableOffset, (long)header.ColumnTableOffset + ((long)header.ColumnCount * SegmentFormat.ColumnEntrySizeBytes), "column table");
        regions[n++] = ((long)header.EntityColumnOffset, (long)(header.EntityColumnOffset + header.EntityColumnLengthBytes), "entity column");
        for (int i = 0; i < columns.Length; i++)
        {
            ref readonly var c = ref columns[i];
            regions[n++] = (c.ColumnOffset, c.ColumnOffset + c.ColumnLengthBytes, $"column {i} data");
            regions[n++] = (c.ChangedOffset, c.ChangedOffset + c.ChangedLengthBytes, $"column {i} changed bitset");
        }

        Array.Sort(regions, static (a, b) => a.Start.CompareTo(b.Start));
        long previousEnd = SegmentFormat.HeaderSizeBytes;
        string previousName = "header";
        foreach (var region in regions)
        {
            // An empty region (zero rows or zero columns) occupies no bytes and cannot overlap anything.
            if (region.End == region.Start)
            {
                continue;
            }

            if (region.Start < previousEnd)
            {
                throw Fail(SegmentError.OverlappingRegions, path, $"{region.Name} at {region.Start} overlaps {previousName} ending at {previousEnd}");
            }

            previousEnd = region.End;
            previousName = region.Name;
        }
    }

    private static void CheckExpectation(string path, SegmentColumn[] columns, SegmentExpectation expected)
    {
        foreach (var spec in expected.Columns)
        {
            int index = Array.FindIndex(columns, c => c.ComponentId == spec.ComponentId);
            if (index < 0)
            {
                throw Fail(SegmentError.MissingComponent, path, $"no column for expected component {spec.ComponentId}");
            }

            var column = columns[index];
            if (column.LayoutHash != spec.LayoutHash)
            {
                throw Fail(SegmentError.LayoutHashMismatch, path, $"component {spec.ComponentId} has layout hash 0x{column.LayoutHash:X16}, expected 0x{spec.LayoutHash:X16}");
            }

            if (column.ElementSizeBytes != spec.ElementSizeBytes)
            {
                throw Fail(SegmentError.ElementSizeMismatch, path, $"component {spec.ComponentId} has element size {column.ElementSizeBytes}, expected {spec.ElementSizeBytes}");
            }
        }
    }

    // offset + length <= fileLength without overflow.
    private static bool IsInside(ulong offset, ulong length, ulong fileLength) =>
        offset <= fileLength && length <= fileLength - offset;

    private static SegmentFormatException Fail(SegmentError error, string path, string detail) => new(error, path, detail);
}
