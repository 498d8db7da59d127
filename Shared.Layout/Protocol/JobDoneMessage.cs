using SimHost.Layout.Jobs;

namespace SimHost.Layout.Protocol;

/// <summary>
/// Worker to host: the job of the frame's sequence number finished; the range's rows are echoed so the host can check
/// the worker ran what it was sent. The rest is the encoding of the one <see cref="RangeOutcome"/> of a succeeded range.
/// </summary>
/// <remarks>
/// Body layout (little-endian): row start u32, row count u32, rows changed u32, elapsed u64 nanoseconds.
/// See docs/protocol.md.
/// </remarks>
internal sealed record JobDoneMessage : ProtocolMessage
{
    private const int BodyBytes = (3 * sizeof(uint)) + sizeof(ulong);
    private const long NanosecondsPerTick = 100;

    /// <summary>Creates a JobDone.</summary>
    /// <param name="rowStart">First row of the range the worker ran, echoed from JobStart.</param>
    /// <param name="rowCount">Number of rows the worker ran, echoed from JobStart.</param>
    /// <param name="rowsChanged">How many rows the job marked changed; at most <paramref name="rowCount"/>.</param>
    /// <param name="elapsed">How long the job ran inside the worker; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range overflows u32, more rows changed than ran, or a negative time.</exception>
    public JobDoneMessage(uint rowStart, uint rowCount, uint rowsChanged, TimeSpan elapsed)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((ulong)rowStart + rowCount, uint.MaxValue, nameof(rowCount));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rowsChanged, rowCount, nameof(rowsChanged));
        ArgumentOutOfRangeException.ThrowIfLessThan(elapsed, TimeSpan.Zero, nameof(elapsed));
        RowStart = rowStart;
        RowCount = rowCount;
        Outcome = RangeOutcome.Success((int)rowsChanged, elapsed, workerId: null);
    }

    /// <summary>Creates the JobDone that answers <paramref name="range"/> with <paramref name="outcome"/>, a succeeded run.</summary>
    /// <param name="range">The range the worker ran; its rows are echoed.</param>
    /// <param name="outcome">What <see cref="JobRunner.Run"/> returned.</param>
    public JobDoneMessage(in JobRange range, in RangeOutcome outcome)
        : this(JobStartMessage.WireRows(range.RowStart), JobStartMessage.WireRows(range.RowCount), (uint)outcome.RowsChanged, outcome.Elapsed)
    {
    }

    /// <inheritdoc/>
    public override MessageType Type => MessageType.JobDone;

    /// <summary>First row of the range the worker ran, echoed from JobStart.</summary>
    public uint RowStart { get; }

    /// <summary>Number of rows the worker ran, echoed from JobStart.</summary>
    public uint RowCount { get; }

    /// <summary>
    /// The succeeded outcome: rows the job marked changed, and how long it ran inside the worker (100 ns resolution).
    /// Its worker id is null; the host knows which worker answered.
    /// </summary>
    public RangeOutcome Outcome { get; }

    /// <summary>Whether the echoed rows are those of <paramref name="range"/>.</summary>
    public bool Answers(in JobRange range) =>
        RowStart == JobStartMessage.WireRows(range.RowStart) && RowCount == JobStartMessage.WireRows(range.RowCount);

    internal override int BodySizeBytes => BodyBytes;

    internal override void WriteBody(ref BodyWriter writer)
    {
        writer.WriteUInt32(RowStart);
        writer.WriteUInt32(RowCount);
        writer.WriteUInt32((uint)Outcome.RowsChanged);
        writer.WriteUInt64((ulong)Outcome.Elapsed.Ticks * NanosecondsPerTick);
    }

    internal static JobDoneMessage ReadBody(ref BodyReader reader)
    {
        var rowStart = reader.ReadUInt32("RowStart");
        var rowCount = reader.ReadUInt32("RowCount");
        var rowsChanged = reader.ReadUInt32("RowsChanged");
        var elapsedNs = reader.ReadUInt64("ElapsedNs");
        reader.EnsureEnd();
        BodyReader.Require((ulong)rowStart + rowCount <= uint.MaxValue, $"JobDone row range {rowStart} + {rowCount} overflows u32.");
        BodyReader.Require(rowsChanged <= rowCount, $"JobDone.RowsChanged {rowsChanged} is above RowCount {rowCount}.");

        // u64 nanoseconds / 100 always fits a positive tick count, so no overflow check is needed.
        return new JobDoneMessage(rowStart, rowCount, rowsChanged, TimeSpan.FromTicks((long)(elapsedNs / NanosecondsPerTick)));
    }
}
