namespace SimHost.Layout.Protocol;

/// <summary>
/// Worker to host: the job of the frame's sequence number finished; the range is echoed so the host can check the
/// worker ran what it was sent.
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
        RowsChanged = rowsChanged;
        Elapsed = elapsed;
    }

    /// <inheritdoc/>
    public override MessageType Type => MessageType.JobDone;

    /// <summary>First row of the range the worker ran, echoed from JobStart.</summary>
    public uint RowStart { get; }

    /// <summary>Number of rows the worker ran, echoed from JobStart.</summary>
    public uint RowCount { get; }

    /// <summary>How many rows the job marked changed.</summary>
    public uint RowsChanged { get; }

    /// <summary>How long the job ran inside the worker (100 ns resolution).</summary>
    public TimeSpan Elapsed { get; }

    internal override int BodySizeBytes => BodyBytes;

    internal override void WriteBody(ref BodyWriter writer)
    {
        writer.WriteUInt32(RowStart);
        writer.WriteUInt32(RowCount);
        writer.WriteUInt32(RowsChanged);
        writer.WriteUInt64((ulong)Elapsed.Ticks * NanosecondsPerTick);
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
