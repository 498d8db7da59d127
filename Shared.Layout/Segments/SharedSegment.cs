using System.Buffers.Binary;

namespace SimHost.Layout.Segments;

/// <summary>
/// A segment file mapped into this process: the host creates it, workers open it by path, and both read and write
/// the same bytes. Every span is bounds-checked against the plan; a reader's plan comes only from validated bytes.
/// </summary>
/// <remarks>Disposing unmaps the file; spans obtained earlier must not be used afterwards.</remarks>
internal sealed class SharedSegment : IDisposable
{
    private readonly MappedRegion _region;
    private readonly SegmentPlan _plan;

    // The header and column table the validated plan implies, encoded once; see IsLayoutIntact.
    private readonly byte[] _expectedHeader = new byte[SegmentFormat.HeaderSizeBytes];
    private readonly byte[] _expectedTable;

    private SharedSegment(string path, SegmentPlan plan, MappedRegion region)
    {
        Path = path;
        _plan = plan;
        _region = region;
        _expectedTable = new byte[plan.ColumnCount * SegmentFormat.ColumnEntrySizeBytes];
        SegmentCodec.WriteHeaderAndTable(plan, _expectedHeader, _expectedTable);
    }

    /// <summary>The segment file's path.</summary>
    public string Path { get; }

    /// <summary>The size of the file and mapping in bytes.</summary>
    public long SizeBytes => _plan.TotalSizeBytes;

    /// <summary>Where everything lies in this segment.</summary>
    public SegmentPlan Plan => _plan;

    /// <summary>The number of rows every column has room for.</summary>
    public int RowCapacity => _plan.RowCapacity;

    /// <summary>The number of component columns.</summary>
    public int ColumnCount => _plan.ColumnCount;

    /// <summary>The number of rows in use, stored in the shared header.</summary>
    /// <exception cref="SegmentFormatException">On get, another process stored a count above the capacity.</exception>
    /// <exception cref="ArgumentOutOfRangeException">On set, the value is negative or above the capacity.</exception>
    public int RowCount
    {
        get
        {
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(Header[SegmentFormat.RowCountOffset..]);
            if (stored > (uint)RowCapacity)
            {
                throw new SegmentFormatException(
                    SegmentError.RowCountExceedsCapacity, Path, $"row count {stored} exceeds row capacity {RowCapacity}");
            }

            return (int)stored;
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, RowCapacity);
            BinaryPrimitives.WriteUInt32LittleEndian(Header[SegmentFormat.RowCountOffset..], (uint)value);
        }
    }

    /// <summary>The frame this segment's snapshot was taken in, stored in the shared header.</summary>
    public ulong FrameId
    {
        get => BinaryPrimitives.ReadUInt64LittleEndian(Header[SegmentFormat.FrameIdOffset..]);
        set => BinaryPrimitives.WriteUInt64LittleEndian(Header[SegmentFormat.FrameIdOffset..], value);
    }

    /// <summary>The sequence number of the job that last used this segment, stored in the shared header.</summary>
    public ulong JobSequence
    {
        get => BinaryPrimitives.ReadUInt64LittleEndian(Header[SegmentFormat.JobSequenceOffset..]);
        set => BinaryPrimitives.WriteUInt64LittleEndian(Header[SegmentFormat.JobSequenceOffset..], value);
    }

    /// <summary>The entity column: one packed <see cref="EntityHandle"/> per row, for the whole capacity.</summary>
    public Span<ulong> EntityHandles => _region.Elements<ulong>(_plan.EntityColumnOffset, RowCapacity);

    private Span<byte> Header => _region.Bytes(0, SegmentFormat.HeaderSizeBytes);

    /// <summary>
    /// Creates the segment file at <paramref name="path"/> (mode 0600, failing if it exists), sizes it for
    /// <paramref name="plan"/>, writes the header and column table and maps it.
    /// </summary>
    /// <param name="path">The new file; normally <see cref="RunDirectory.SegmentPath"/>.</param>
    /// <param name="plan">The placement from <see cref="SegmentLayoutPlanner.Plan"/>.</param>
    /// <returns>The mapped segment with row count, frame id and job sequence zero, all columns zeroed.</returns>
    /// <exception cref="IOException">The file exists or cannot be created or sized.</exception>
    public static SharedSegment Create(string path, SegmentPlan plan)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(plan);

        // CreateNew (O_EXCL) never follows or reuses a file someone else put there; the preallocation makes a full
        // /dev/shm fail here with an IOException instead of a SIGBUS on first write through the mapping.
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
            PreallocationSize = plan.TotalSizeBytes,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Segment files belong to the user who started the host.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = File.Open(path, options);
        MappedRegion region;
        try
        {
            stream.SetLength(plan.TotalSizeBytes);
            region = MappedRegion.Map(stream, plan.TotalSizeBytes);
        }
        catch
        {
            stream.Dispose();
            File.Delete(path);
            throw;
        }

        var tableLength = plan.ColumnCount * SegmentFormat.ColumnEntrySizeBytes;
        SegmentCodec.WriteHeaderAndTable(
            plan, region.Bytes(0, SegmentFormat.HeaderSizeBytes), region.Bytes(plan.ColumnTableOffset, tableLength));
        return new SharedSegment(path, plan, region);
    }

    /// <summary>
    /// Opens and maps an existing segment after validating every header field, the column table and every region
    /// against the file's real length, and the columns against <paramref name="expected"/> when given.
    /// </summary>
    /// <param name="path">The segment file.</param>
    /// <param name="expected">The columns the caller requires, or null to accept any valid segment.</param>
    /// <returns>The mapped segment.</returns>
    /// <exception cref="SegmentFormatException">The file is unreadable, corrupt or not as expected; the only exception thrown.</exception>
    public static SharedSegment Open(string path, SegmentExpectation? expected = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream? stream = null;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            long fileLength = stream.Length;

            // Validate copies read through the stream; the mapping is made only once they pass.
            Span<byte> headerBytes = stackalloc byte[SegmentFormat.HeaderSizeBytes];
            int headerRead = stream.ReadAtLeast(headerBytes, SegmentFormat.HeaderSizeBytes, throwOnEndOfStream: false);
            var header = SegmentValidator.ValidateHeader(path, fileLength, headerBytes[..headerRead]);

            // The header check bounds the table to MaxColumns entries inside the file.
            var tableBytes = new byte[header.ColumnCount * SegmentFormat.ColumnEntrySizeBytes];
            stream.Position = (long)header.ColumnTableOffset;
            stream.ReadExactly(tableBytes);
            var plan = SegmentValidator.ValidateTable(path, header, tableBytes, expected);

            var region = MappedRegion.Map(stream, plan.TotalSizeBytes);
            stream = null;
            return new SharedSegment(path, plan, region);
        }
        catch (SegmentFormatException)
        {
            stream?.Dispose();
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            stream?.Dispose();
            throw new SegmentFormatException(SegmentError.Unreadable, path, $"cannot open, read or map the file: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Whether the mapped header's fixed fields (everything but row count, frame id and job sequence) and the column
    /// table still say what was validated when this segment was opened or created. A worker checks it before every
    /// job, so a header rewritten under a mapping it keeps is caught even without a new segment generation.
    /// </summary>
    /// <returns>False when any of those bytes changed; reopen the segment to get the validator's precise error.</returns>
    public bool IsLayoutIntact()
    {
        var header = Header;
        ReadOnlySpan<byte> expected = _expectedHeader;
        return header[..SegmentFormat.RowCountOffset].SequenceEqual(expected[..SegmentFormat.RowCountOffset])
            && header[SegmentFormat.ColumnCountOffset..SegmentFormat.ReservedOffset].SequenceEqual(expected[SegmentFormat.ColumnCountOffset..SegmentFormat.ReservedOffset])
            && _region.Bytes(_plan.ColumnTableOffset, _expectedTable.Length).SequenceEqual(_expectedTable);
    }

    /// <summary>The raw bytes of component column <paramref name="columnIndex"/>, for the whole capacity.</summary>
    /// <param name="columnIndex">The column's index in the table.</param>
    /// <returns>Row capacity × element size bytes.</returns>
    public Span<byte> ColumnBytes(int columnIndex)
    {
        ref readonly var column = ref ColumnAt(columnIndex);
        return _region.Bytes(column.ColumnOffset, (int)column.ColumnLengthBytes);
    }

    /// <summary>Component column <paramref name="columnIndex"/> as structs, for the whole capacity.</summary>
    /// <typeparam name="T">The component struct; its size must equal the column's element size.</typeparam>
    /// <param name="columnIndex">The column's index in the table.</param>
    /// <returns>One element per row.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> has a different size than the column's elements.</exception>
    public unsafe Span<T> Column<T>(int columnIndex)
        where T : unmanaged
    {
        ref readonly var column = ref ColumnAt(columnIndex);
        if (sizeof(T) != column.ElementSizeBytes)
        {
            throw new ArgumentException(
                $"{typeof(T).Name} is {sizeof(T)} bytes but column {columnIndex} (component {column.ComponentId}) holds {column.ElementSizeBytes}-byte elements.",
                nameof(T));
        }

        return _region.Elements<T>(column.ColumnOffset, RowCapacity);
    }

    /// <summary>The changed bitset of column <paramref name="columnIndex"/>: bit <c>r % 64</c> of word <c>r / 64</c> is row r.</summary>
    /// <param name="columnIndex">The column's index in the table.</param>
    /// <returns><see cref="SegmentPlan.ChangedWordCount"/> words.</returns>
    public Span<ulong> ChangedWords(int columnIndex)
    {
        ref readonly var column = ref ColumnAt(columnIndex);
        return _region.Elements<ulong>(column.ChangedOffset, _plan.ChangedWordCount);
    }

    /// <summary>The index of the column holding <paramref name="componentId"/>, or -1.</summary>
    /// <param name="componentId">The component id.</param>
    /// <returns>The column index or -1.</returns>
    public int FindColumn(uint componentId)
    {
        for (int i = 0; i < _plan.ColumnCount; i++)
        {
            if (_plan.Column(i).ComponentId == componentId)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The index of the first column whose layout hash is <paramref name="layoutHash"/>, or -1.</summary>
    /// <param name="layoutHash">The layout hash.</param>
    /// <returns>The column index or -1.</returns>
    public int FindColumnByLayoutHash(ulong layoutHash)
    {
        for (int i = 0; i < _plan.ColumnCount; i++)
        {
            if (_plan.Column(i).LayoutHash == layoutHash)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Unmaps the segment and closes the file; the file itself stays (its run directory removes it).</summary>
    public void Dispose() => _region.Dispose();

    private ref readonly SegmentColumn ColumnAt(int columnIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columnIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(columnIndex, _plan.ColumnCount);
        return ref _plan.Column(columnIndex);
    }
}
