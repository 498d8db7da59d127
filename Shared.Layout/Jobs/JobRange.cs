namespace SimHost.Layout.Jobs;

/// <summary>
/// One run of a job: these rows of this segment, for this job, this frame. The one value a range is from the host's
/// split to the worker's <see cref="JobContext"/>: the host splits and retries it, an executor runs it in-process or
/// sends it as the body of a JobStart (<c>JobStartMessage</c> encodes and decodes exactly this), and
/// <see cref="JobRunner"/> hands it to the job.
/// </summary>
/// <remarks>
/// Rows travel as u32 on the wire: a decoded value above <see cref="int.MaxValue"/> reads as negative here, which the
/// worker refuses (<c>JobFailureReason.RowRangeTooLarge</c>) and <see cref="JobContext"/> rejects.
/// </remarks>
internal readonly record struct JobRange
{
    /// <summary>Rows per changed-bitset word; every range starts on a multiple of it.</summary>
    public const int RowAlignment = 64;

    /// <summary>An empty range of one tick; set the facts with an object initializer.</summary>
    public JobRange()
    {
    }

    /// <summary>The registered job to run.</summary>
    public string JobName { get; init; } = string.Empty;

    /// <summary>The segment file (absolute path, normally under /dev/shm); a worker maps it by this path.</summary>
    public string SegmentPath { get; init; } = string.Empty;

    /// <summary>Changes whenever the segment file is recreated or grown, so a worker remaps it.</summary>
    public uint SegmentGeneration { get; init; }

    /// <summary>
    /// The host's bookkeeping: which of the system's segments this is, for retry and commit. Not sent: a worker knows
    /// the segment by <see cref="SegmentPath"/>, and a decoded range has 0 here.
    /// </summary>
    public int SegmentIndex { get; init; }

    /// <summary>First row, a multiple of <see cref="RowAlignment"/> so that no two ranges share a changed-bitset word.</summary>
    public int RowStart { get; init; }

    /// <summary>Rows in the range.</summary>
    public int RowCount { get; init; }

    /// <summary>Bit i set: segment column i may be written (and will be committed).</summary>
    public ulong WritableColumns { get; init; }

    /// <summary>
    /// Bit i set: segment column i holds the current values of a component the job accesses (shared storage, where each
    /// component has a live and a scratch column); 0 when each component has one column. Never overlaps
    /// <see cref="WritableColumns"/>.
    /// </summary>
    public ulong LiveColumns { get; init; }

    /// <summary>The simulation frame.</summary>
    public ulong FrameId { get; init; }

    /// <summary>Seconds one tick advances.</summary>
    public double DeltaTime { get; init; }

    /// <summary>Simulation time at the start of the frame, in seconds.</summary>
    public double Time { get; init; }

    /// <summary>
    /// How many ticks of <see cref="DeltaTime"/> the job runs back to back over the range, at least 1; tick i starts at
    /// <see cref="Time"/> + i × <see cref="DeltaTime"/>.
    /// </summary>
    public int Ticks { get; init; } = 1;

    /// <summary>The system's parameter blob.</summary>
    public ReadOnlyMemory<byte> Parameters { get; init; }

    /// <summary>One past the last row.</summary>
    public int RowEnd => RowStart + RowCount;
}
