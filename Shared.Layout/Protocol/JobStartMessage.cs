using System.Collections.Immutable;
using System.Text;

namespace SimHost.Layout.Protocol;

/// <summary>
/// Host to worker: run the named job over rows [<see cref="RowStart"/>, <see cref="RowStart"/> + <see cref="RowCount"/>)
/// of a segment. The frame's sequence number identifies this request; the worker echoes it in its answer.
/// </summary>
/// <remarks>
/// Body layout (little-endian): frame id u64, segment generation u32, row start u32, row count u32,
/// writable columns u64, dt f64, time f64, tick count u32,
/// job name (u16 length + UTF-8), segment path (u16 length + UTF-8), parameters (u32 length + bytes).
/// See docs/protocol.md.
/// </remarks>
internal sealed record JobStartMessage : ProtocolMessage
{
    private const int FixedBodyBytes =
        (3 * sizeof(ulong)) + (4 * sizeof(uint)) + (2 * sizeof(double)) + (2 * sizeof(ushort)) + sizeof(uint);

    /// <summary>Creates a JobStart.</summary>
    /// <param name="frameId">The simulation frame this job belongs to.</param>
    /// <param name="jobName">The registered job to run; non-empty, at most <see cref="ProtocolConstants.MaxJobNameBytes"/> UTF-8 bytes.</param>
    /// <param name="segmentPath">The segment file to map; non-empty, at most <see cref="ProtocolConstants.MaxSegmentPathBytes"/> UTF-8 bytes.</param>
    /// <param name="segmentGeneration">Bumped by the host whenever the segment file is recreated or grown.</param>
    /// <param name="rowStart">First row of the range.</param>
    /// <param name="rowCount">Number of rows in the range.</param>
    /// <param name="deltaTime">The simulation step in seconds; finite.</param>
    /// <param name="time">The simulation time in seconds at the start of the frame; finite.</param>
    /// <param name="parameters">Job-specific bytes; at most <see cref="ProtocolConstants.MaxParameterBytes"/>.</param>
    /// <param name="writableColumns">Bit i set: the job may write segment column i (the system's declared writes).</param>
    /// <param name="ticks">How many ticks of <paramref name="deltaTime"/> the worker runs back to back; at least 1.</param>
    /// <param name="liveColumns">
    /// Bit i set: segment column i holds the current values of a component the job reads (shared storage, where a
    /// component has a live and a scratch column); 0 in a segment with one column per component. Disjoint from
    /// <paramref name="writableColumns"/>.
    /// </param>
    /// <exception cref="ArgumentException">A string or the parameters break their caps, the range overflows u32, a time is not finite, ticks is outside 1 to MaxTicks, or a column is both live and writable.</exception>
    public JobStartMessage(
        ulong frameId,
        string jobName,
        string segmentPath,
        uint segmentGeneration,
        uint rowStart,
        uint rowCount,
        double deltaTime,
        double time,
        ImmutableArray<byte> parameters,
        ulong writableColumns = 0,
        uint ticks = 1,
        ulong liveColumns = 0)
    {
        ProtocolText.RequireCapped(jobName, ProtocolConstants.MaxJobNameBytes, nameof(jobName));
        ProtocolText.RequireCapped(segmentPath, ProtocolConstants.MaxSegmentPathBytes, nameof(segmentPath));
        parameters = parameters.IsDefault ? [] : parameters;
        if (parameters.Length > ProtocolConstants.MaxParameterBytes)
        {
            throw new ArgumentException(
                $"Parameters are {parameters.Length} bytes; the protocol allows at most {ProtocolConstants.MaxParameterBytes}.",
                nameof(parameters));
        }

        if (!IsRangeValid(rowStart, rowCount))
        {
            throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, "Row start + row count overflows u32.");
        }

        if (!double.IsFinite(deltaTime))
        {
            throw new ArgumentOutOfRangeException(nameof(deltaTime), deltaTime, "Delta time must be finite.");
        }

        if (!double.IsFinite(time))
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, "Time must be finite.");
        }

        if (ticks == 0 || ticks > ProtocolConstants.MaxTicks)
        {
            throw new ArgumentOutOfRangeException(nameof(ticks), ticks, $"A job runs 1 to {ProtocolConstants.MaxTicks} ticks.");
        }

        if ((liveColumns & writableColumns) != 0)
        {
            throw new ArgumentException($"Columns 0x{liveColumns & writableColumns:X} are both live and writable; a job writes only scratch columns.", nameof(liveColumns));
        }

        FrameId = frameId;
        JobName = jobName;
        SegmentPath = segmentPath;
        SegmentGeneration = segmentGeneration;
        RowStart = rowStart;
        RowCount = rowCount;
        DeltaTime = deltaTime;
        Time = time;
        Parameters = parameters;
        WritableColumns = writableColumns;
        Ticks = ticks;
        LiveColumns = liveColumns;
    }

    /// <inheritdoc/>
    public override MessageType Type => MessageType.JobStart;

    /// <summary>The simulation frame this job belongs to.</summary>
    public ulong FrameId { get; }

    /// <summary>The registered job to run.</summary>
    public string JobName { get; }

    /// <summary>The segment file to map (absolute path, normally under /dev/shm).</summary>
    public string SegmentPath { get; }

    /// <summary>Bumped by the host whenever the segment file is recreated or grown; a worker whose mapping has another generation remaps.</summary>
    public uint SegmentGeneration { get; }

    /// <summary>First row of the range this worker owns.</summary>
    public uint RowStart { get; }

    /// <summary>Number of rows in the range this worker owns.</summary>
    public uint RowCount { get; }

    /// <summary>The simulation step in seconds.</summary>
    public double DeltaTime { get; }

    /// <summary>The simulation time in seconds at the start of the frame (of its first tick).</summary>
    public double Time { get; }

    /// <summary>How many ticks of <see cref="DeltaTime"/> the worker runs back to back over the range; at least 1.</summary>
    public uint Ticks { get; }

    /// <summary>
    /// Bit i set: the job may write segment column i. Columns the system only reads are handed to the job
    /// read-only, and only these columns are committed.
    /// </summary>
    public ulong WritableColumns { get; }

    /// <summary>
    /// Bit i set: segment column i holds the current values of a component the job reads or writes (shared storage's
    /// live columns); 0 when every component has one column. Never overlaps <see cref="WritableColumns"/>.
    /// </summary>
    public ulong LiveColumns { get; }

    /// <summary>Job-specific parameter bytes, opaque to the protocol.</summary>
    public ImmutableArray<byte> Parameters { get; }

    internal override int BodySizeBytes =>
        FixedBodyBytes
        + Encoding.UTF8.GetByteCount(JobName)
        + Encoding.UTF8.GetByteCount(SegmentPath)
        + Parameters.Length;

    /// <summary>Value equality, comparing the parameters byte by byte.</summary>
    /// <param name="other">The message to compare with.</param>
    /// <returns>Whether every field is equal.</returns>
    public bool Equals(JobStartMessage? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && base.Equals(other)
            && FrameId == other.FrameId
            && JobName == other.JobName
            && SegmentPath == other.SegmentPath
            && SegmentGeneration == other.SegmentGeneration
            && RowStart == other.RowStart
            && RowCount == other.RowCount
            && WritableColumns == other.WritableColumns
            && LiveColumns == other.LiveColumns
            && DeltaTime.Equals(other.DeltaTime)
            && Time.Equals(other.Time)
            && Ticks == other.Ticks
            && Parameters.AsSpan().SequenceEqual(other.Parameters.AsSpan()));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(FrameId, JobName, SegmentGeneration, RowStart, RowCount);

    internal override void WriteBody(ref BodyWriter writer)
    {
        writer.WriteUInt64(FrameId);
        writer.WriteUInt32(SegmentGeneration);
        writer.WriteUInt32(RowStart);
        writer.WriteUInt32(RowCount);
        writer.WriteUInt64(WritableColumns);
        writer.WriteUInt64(LiveColumns);
        writer.WriteDouble(DeltaTime);
        writer.WriteDouble(Time);
        writer.WriteUInt32(Ticks);
        writer.WriteString(JobName);
        writer.WriteString(SegmentPath);
        writer.WriteBlob(Parameters);
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
        return new JobStartMessage(frameId, jobName, segmentPath, generation, rowStart, rowCount, deltaTime, time, parameters, writableColumns, ticks, liveColumns);
    }

    private static bool IsRangeValid(uint rowStart, uint rowCount) => (ulong)rowStart + rowCount <= uint.MaxValue;
}
