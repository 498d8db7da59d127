using System.Buffers;
using System.Runtime.InteropServices;
using SimHost.Layout.Segments;

namespace SimHost.Host.Persistence;

/// <summary>
/// Writes and reads the segment files of a checkpoint: segment format v1 (docs/segment-format.md) with row capacity =
/// row count, written sequentially through a stream while its XXH3-128 is computed, and read back through the same
/// validator the host and workers use before a mapping.
/// </summary>
/// <remarks>
/// An archetype's file holds component column <c>c</c> as component id <c>c</c> (the manifest names the component) and
/// its per-row changed ticks as a 4-byte column with id <c>0x80000000 | c</c> and layout hash
/// <see cref="TickColumnLayoutHash"/>. Changed bitsets are present, as the format requires, and zero.
/// </remarks>
internal static class CheckpointSegment
{
    /// <summary>The layout hash of a changed-tick column: ASCII <c>TICK_u32</c> read as a little-endian u64.</summary>
    public const ulong TickColumnLayoutHash = 0x3233_755F_4B43_4954UL;

    /// <summary>The id bit that marks a changed-tick column.</summary>
    public const uint TickColumnFlag = 0x8000_0000u;

    /// <summary>
    /// Whether columns 2c and 2c+1 of an archetype's segment are <paramref name="component"/>'s values and its ticks, as
    /// the writer lays them out (component c of the archetype's manifest list). Both readers check it.
    /// </summary>
    public static bool HoldsComponent(SegmentPlan plan, int c, ComponentImage component)
    {
        var data = plan.Column(2 * c);
        var tick = plan.Column((2 * c) + 1);
        return data.ComponentId == (uint)c && data.LayoutHash == component.LayoutHash && data.ElementSizeBytes == component.SizeBytes
            && tick.ComponentId == (TickColumnFlag | (uint)c) && tick.LayoutHash == TickColumnLayoutHash && tick.ElementSizeBytes == sizeof(uint);
    }

    // Bytes are hashed and written in slices of this size: each is hashed while still in cache, and a paced writer
    // (CheckpointPacer) takes its budget per slice.
    private const int SliceBytes = 256 * 1024;

    private static readonly byte[] s_zeros = new byte[SliceBytes];

    /// <summary>Fills <paramref name="handles"/> with the entity handles of rows <paramref name="firstRow"/> onwards.</summary>
    public delegate void HandleFill(int firstRow, Span<ulong> handles);

    /// <summary>Writes one segment of <paramref name="entities"/>.Length rows and returns its length in bytes.</summary>
    public static long Write(Stream destination, EagerXxHash128 hash, ulong frameId, ReadOnlySpan<ulong> entities, IReadOnlyList<SegmentColumnData> columns, CheckpointPacer? pacer = null) =>
        Write(destination, hash, frameId, entities.Length, entities, null, columns, pacer);

    /// <summary>Writes one segment of <paramref name="rows"/> rows whose handles <paramref name="fill"/> computes slice by slice.</summary>
    public static long Write(Stream destination, EagerXxHash128 hash, ulong frameId, int rows, HandleFill fill, IReadOnlyList<SegmentColumnData> columns, CheckpointPacer? pacer = null) =>
        Write(destination, hash, frameId, rows, default, fill, columns, pacer);

    private static long Write(
        Stream destination, EagerXxHash128 hash, ulong frameId, int rows, ReadOnlySpan<ulong> entities, HandleFill? fill, IReadOnlyList<SegmentColumnData> columns, CheckpointPacer? pacer)
    {
        var specs = new SegmentColumnSpec[columns.Count];
        for (var i = 0; i < specs.Length; i++)
        {
            specs[i] = new SegmentColumnSpec(columns[i].Id, columns[i].LayoutHash, columns[i].ElementSizeBytes);
        }

        var plan = SegmentLayoutPlanner.Plan(specs, rows);
        var head = new byte[plan.EntityColumnOffset];
        (SegmentHeader.For(plan) with { RowCount = (uint)rows, FrameId = frameId }).Write(head);
        for (var i = 0; i < plan.ColumnCount; i++)
        {
            SegmentColumnEntry.For(plan.Column(i)).Write(head.AsSpan((int)plan.ColumnTableOffset + (i * SegmentFormat.ColumnEntrySizeBytes)));
        }

        long written = 0;
        Append(destination, hash, head, ref written, pacer);
        if (fill is null)
        {
            Append(destination, hash, MemoryMarshal.AsBytes(entities), ref written, pacer);
        }
        else
        {
            // Computed a slice at a time: the entity table of a large world never needs a world-sized array.
            var slice = new ulong[SliceBytes / sizeof(ulong)];
            for (var first = 0; first < rows; first += slice.Length)
            {
                var part = slice.AsSpan(0, Math.Min(slice.Length, rows - first));
                fill(first, part);
                Append(destination, hash, MemoryMarshal.AsBytes(part), ref written, pacer);
            }
        }

        for (var i = 0; i < plan.ColumnCount; i++)
        {
            var column = plan.Column(i);
            Zeros(destination, hash, column.ColumnOffset - written, ref written, pacer);
            if (columns[i].UniformValue is { } value)
            {
                Uniform(destination, hash, value, column.ColumnLengthBytes, ref written, pacer);
            }
            else
            {
                Append(destination, hash, columns[i].Data.Span, ref written, pacer);
            }

            Zeros(destination, hash, column.ChangedOffset - written, ref written, pacer);
            Zeros(destination, hash, column.ChangedLengthBytes, ref written, pacer);
        }

        Zeros(destination, hash, plan.TotalSizeBytes - written, ref written, pacer);
        return written;
    }

    /// <summary>The frame id every segment of a checkpoint holds: the frame it was taken at (0 for a world saved alone).</summary>
    public static ulong FrameOf(CheckpointManifest manifest) => (ulong)Math.Max(0, manifest.Simulation?.FrameCount ?? 0);

    /// <summary>Validates a segment file's bytes by every rule of the format, and that it is of the checkpoint's frame.</summary>
    /// <param name="fileName">The file's name, for errors.</param>
    /// <param name="bytes">The whole file.</param>
    /// <param name="frame">The checkpoint's frame (<see cref="FrameOf"/>): a segment of another checkpoint is refused.</param>
    /// <returns>The header and the plan rebuilt from the validated numbers.</returns>
    /// <exception cref="CheckpointException">A rule is broken (<see cref="CheckpointError.BadSegment"/>).</exception>
    public static (SegmentHeader Header, SegmentPlan Plan) Read(string fileName, ReadOnlySpan<byte> bytes, ulong frame)
    {
        try
        {
            var header = SegmentValidator.ValidateHeader(fileName, bytes.Length, bytes);
            if (header.FrameId != frame)
            {
                throw new CheckpointException(CheckpointError.BadSegment, fileName, $"is of frame {header.FrameId}, the checkpoint of frame {frame}: a file of another checkpoint");
            }

            var table = bytes.Slice((int)header.ColumnTableOffset, (int)header.ColumnCount * SegmentFormat.ColumnEntrySizeBytes);
            var plan = SegmentValidator.ValidateTable(fileName, header, table, expected: null);
            return (header, plan);
        }
        catch (SegmentFormatException exception)
        {
            throw new CheckpointException(CheckpointError.BadSegment, fileName, $"segment rule {exception.Error}: {exception.Message}", exception);
        }
    }

    private static void Append(Stream destination, EagerXxHash128 hash, ReadOnlySpan<byte> bytes, ref long written, CheckpointPacer? pacer)
    {
        while (!bytes.IsEmpty)
        {
            var slice = bytes[..Math.Min(bytes.Length, SliceBytes)];
            pacer?.Take(slice.Length);
            hash.Append(slice);
            destination.Write(slice);
            written += slice.Length;
            bytes = bytes[slice.Length..];
        }
    }

    private static void Zeros(Stream destination, EagerXxHash128 hash, long count, ref long written, CheckpointPacer? pacer)
    {
        while (count > 0)
        {
            var chunk = (int)Math.Min(count, s_zeros.Length);
            Append(destination, hash, s_zeros.AsSpan(0, chunk), ref written, pacer);
            count -= chunk;
        }
    }

    private static void Uniform(Stream destination, EagerXxHash128 hash, uint value, long count, ref long written, CheckpointPacer? pacer)
    {
        // Pooled: a fresh 256 KiB array per uniform column and checkpoint would be a large-object allocation each time.
        var length = (int)(Math.Min(SliceBytes, count) / sizeof(uint));
        var pattern = ArrayPool<uint>.Shared.Rent(length);
        try
        {
            pattern.AsSpan(0, length).Fill(value);
            var bytes = MemoryMarshal.AsBytes(pattern.AsSpan(0, length));
            while (count > 0)
            {
                var chunk = (int)Math.Min(count, bytes.Length);
                Append(destination, hash, bytes[..chunk], ref written, pacer);
                count -= chunk;
            }
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(pattern);
        }
    }
}
