using System.Text;
using SimHost.Layout.Jobs;

namespace SimHost.Layout.Protocol;

/// <summary>
/// Host to worker: run <see cref="Range"/>. The message is only the encoding of the one <see cref="JobRange"/> value
/// (every field but the host's <see cref="JobRange.SegmentIndex"/>); the frame's sequence number identifies this
/// request, and the worker echoes it in its answer.
/// </summary>
/// <remarks>
/// Body layout (little-endian): frame id u64, segment generation u32, row start u32, row count u32,
/// writable columns u64, live columns u64, dt f64, time f64, tick count u32,
/// job name (u16 length + UTF-8), segment path (u16 length + UTF-8), parameters (u32 length + bytes).
/// See docs/protocol.md.
/// </remarks>
internal sealed record JobStartMessage : ProtocolMessage
{
    private const int FixedBodyBytes =
        (3 * sizeof(ulong)) + (4 * sizeof(uint)) + (2 * sizeof(double)) + (2 * sizeof(ushort)) + sizeof(uint);

    /// <summary>Creates the JobStart of <paramref name="range"/>.</summary>
    /// <param name="range">
    /// The range to run: a non-empty job name of at most <see cref="ProtocolConstants.MaxJobNameBytes"/> UTF-8 bytes,
    /// a non-empty segment path of at most <see cref="ProtocolConstants.MaxSegmentPathBytes"/>, parameters of at most
    /// <see cref="ProtocolConstants.MaxParameterBytes"/>, rows whose u32 start + count fits u32, finite times, 1 to
    /// <see cref="ProtocolConstants.MaxTicks"/> ticks, and no column both live and writable.
    /// </param>
    /// <exception cref="ArgumentException">The range breaks one of those rules.</exception>
    public JobStartMessage(JobRange range)
    {
        ProtocolText.RequireCapped(range.JobName, ProtocolConstants.MaxJobNameBytes, "jobName");
        ProtocolText.RequireCapped(range.SegmentPath, ProtocolConstants.MaxSegmentPathBytes, "segmentPath");
        if (range.Parameters.Length > ProtocolConstants.MaxParameterBytes)
        {
            throw new ArgumentException(
                $"Parameters are {range.Parameters.Length} bytes; the protocol allows at most {ProtocolConstants.MaxParameterBytes}.",
                nameof(range));
        }

        if (!IsRangeValid(WireRows(range.RowStart), WireRows(range.RowCount)))
        {
            throw new ArgumentOutOfRangeException(nameof(range), range.RowCount, "Row start + row count overflows u32.");
        }

        if (!double.IsFinite(range.DeltaTime))
        {
            throw new ArgumentOutOfRangeException(nameof(range), range.DeltaTime, "Delta time must be finite.");
        }

        if (!double.IsFinite(range.Time))
        {
            throw new ArgumentOutOfRangeException(nameof(range), range.Time, "Time must be finite.");
        }

        if (range.Ticks <= 0 || range.Ticks > ProtocolConstants.MaxTicks)
        {
            throw new ArgumentOutOfRangeException(nameof(range), range.Ticks, $"A job runs 1 to {ProtocolConstants.MaxTicks} ticks.");
        }

        if ((range.LiveColumns & range.WritableColumns) != 0)
        {
            throw new ArgumentException($"Columns 0x{range.LiveColumns & range.WritableColumns:X} are both live and writable; a job writes only scratch columns.", nameof(range));
        }

        Range = range;
    }

    /// <inheritdoc/>
    public override MessageType Type => MessageType.JobStart;

    /// <summary>The range to run: job, segment, rows, columns, frame, time, ticks and parameters.</summary>
    public JobRange Range { get; }

    internal override int BodySizeBytes =>
        FixedBodyBytes
        + Encoding.UTF8.GetByteCount(Range.JobName)
        + Encoding.UTF8.GetByteCount(Range.SegmentPath)
        + Range.Parameters.Length;

    /// <summary>Value equality of every field sent, comparing the parameters byte by byte.</summary>
    /// <param name="other">The message to compare with.</param>
    /// <returns>Whether every field on the wire is equal.</returns>
    public bool Equals(JobStartMessage? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && base.Equals(other)
            && Range with { Parameters = default, SegmentIndex = 0 } == other.Range with { Parameters = default, SegmentIndex = 0 }
            && Range.Parameters.Span.SequenceEqual(other.Range.Parameters.Span));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Range.FrameId, Range.JobName, Range.SegmentGeneration, Range.RowStart, Range.RowCount);

    internal override void WriteBody(ref BodyWriter writer)
    {
        writer.WriteUInt64(Range.FrameId);
        writer.WriteUInt32(Range.SegmentGeneration);
        writer.WriteUInt32(WireRows(Range.RowStart));
        writer.WriteUInt32(WireRows(Range.RowCount));
        writer.WriteUInt64(Range.WritableColumns);
        writer.WriteUInt64(Range.LiveColumns);
        writer.WriteDouble(Range.DeltaTime);
        writer.WriteDouble(Range.Time);
        writer.WriteUInt32((uint)Range.Ticks);
        writer.WriteString(Range.JobName);
        writer.WriteString(Range.SegmentPath);
        writer.WriteBlob(Range.Parameters.Span);
    }

    internal static JobStartMessage ReadBody(ref BodyReader reader)
    {
        var frameId = reader.ReadUInt64("FrameId");
        var generation = reader.ReadUInt32("SegmentGeneration");
        var rowStart = reader.ReadUInt32("RowStart");
        var rowCount = reader.ReadUInt32("RowCount");
        var writableColumns = reader.ReadUInt64("WritableColumns");
        var liveColumns = reader.ReadUInt64("LiveColumns");
        var deltaTime = reader.ReadDouble("DeltaTime");
        var time = reader.ReadDouble("Time");
        var ticks = reader.ReadUInt32("Ticks");
        // Pooled: the same few job names and segment paths arrive every frame.
        var jobName = reader.ReadPooledString(ProtocolConstants.MaxJobNameBytes, "JobName");
        var segmentPath = reader.ReadPooledString(ProtocolConstants.MaxSegmentPathBytes, "SegmentPath");
        var parameters = reader.ReadBlob(ProtocolConstants.MaxParameterBytes, "Parameters");
        reader.EnsureEnd();

        // Mirror every constructor rule so a hostile frame fails as a ProtocolException, never an ArgumentException.
        BodyReader.Require(jobName.Length != 0, "JobStart.JobName is empty.");
        BodyReader.Require(segmentPath.Length != 0, "JobStart.SegmentPath is empty.");
        BodyReader.Require(IsRangeValid(rowStart, rowCount), $"JobStart row range {rowStart} + {rowCount} overflows u32.");
        BodyReader.Require(double.IsFinite(deltaTime), $"JobStart.DeltaTime {deltaTime} is not finite.");
        BodyReader.Require(double.IsFinite(time), $"JobStart.Time {time} is not finite.");
        BodyReader.Require(ticks is > 0 and <= ProtocolConstants.MaxTicks, $"JobStart.Ticks is {ticks}; a job runs 1 to {ProtocolConstants.MaxTicks} ticks.");
        BodyReader.Require((liveColumns & writableColumns) == 0, $"JobStart columns 0x{liveColumns & writableColumns:X} are both live and writable.");
        return new JobStartMessage(new JobRange
        {
            JobName = jobName,
            SegmentPath = segmentPath,
            SegmentGeneration = generation,
            RowStart = unchecked((int)rowStart),
            RowCount = unchecked((int)rowCount),
            WritableColumns = writableColumns,
            LiveColumns = liveColumns,
            FrameId = frameId,
            DeltaTime = deltaTime,
            Time = time,
            Ticks = (int)ticks,
            Parameters = parameters.AsMemory(),
        });
    }

    /// <summary>A row number as the wire's u32: the same bits, so a decoded value above int.MaxValue round-trips.</summary>
    internal static uint WireRows(int rows) => unchecked((uint)rows);

    private static bool IsRangeValid(uint rowStart, uint rowCount) => (ulong)rowStart + rowCount <= uint.MaxValue;
}
