using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SimHost.Layout.Bitsets;
using SimHost.Layout.Segments;

namespace SimHost.Layout.Jobs;

/// <summary>
/// One job run's view of its rows: typed spans over the mapped segment columns (writable only for the components the
/// system writes), the entity handles, dt, time, parameters, and changed-bit marking. Row indices given to and taken
/// from a context are relative to <see cref="RowStart"/>.
/// </summary>
/// <remarks>
/// A segment may hold a component twice, as a live/scratch pair (shared storage, see <c>docs/storage.md</c>): then
/// the column whose writable bit is set is the scratch <see cref="Write{T}"/> hands out, and the other is the live
/// column <see cref="Read{T}"/> hands out. With one column per component both name the same memory.
/// </remarks>
public sealed partial class JobContext
{
    private SharedSegment _segment;
    private JobRange _range;

    // Columns the job has asked to write (bit = column index): on later ticks only these hold the previous tick's
    // values; a writable column the job never wrote holds nothing meaningful (a shared segment's scratch).
    private ulong _writtenColumns;

    /// <summary>Creates the view of <paramref name="range"/> over <paramref name="segment"/>.</summary>
    /// <exception cref="ArgumentException">The range is not 64-aligned or lies outside the segment's rows.</exception>
    internal JobContext(SharedSegment segment, in JobRange range) => Reset(segment, range);

    /// <summary>A context bound to no range yet: <see cref="Reset"/> binds it before any job sees it.</summary>
    internal JobContext() => _segment = null!;

    /// <summary>
    /// Makes this context the view of another <paramref name="range"/>, for a host thread that runs many ranges one
    /// after another (a staged in-process pass runs thousands a frame): one context per thread, not one per range.
    /// A job must not keep its context past <see cref="IJob.Execute"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The range is not 64-aligned or lies outside the segment's rows.</exception>
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_segment))]
    internal void Reset(SharedSegment segment, in JobRange range)
    {
        if (range.RowStart < 0 || range.RowCount < 0 || range.RowStart % JobRange.RowAlignment != 0)
        {
            throw new ArgumentException($"Row range {range.RowStart}+{range.RowCount} must start on a multiple of {JobRange.RowAlignment} with a non-negative count.", nameof(range));
        }

        if (range.Ticks < 1)
        {
            throw new ArgumentException($"A job runs at least one tick; {range.Ticks} was asked.", nameof(range));
        }

        var rowCount = segment.RowCount;
        if ((long)range.RowStart + range.RowCount > rowCount)
        {
            throw new ArgumentException($"Row range {range.RowStart}+{range.RowCount} runs past the segment's {rowCount} rows ({segment.Path}).", nameof(range));
        }

        _segment = segment;
        _range = range;
        _writtenColumns = 0;
        TickIndex = 0;
    }

    /// <summary>The first segment row of this range.</summary>
    public int RowStart => _range.RowStart;

    /// <summary>The number of rows this run owns; every span it hands out has this length.</summary>
    public int RowCount => _range.RowCount;

    /// <summary>
    /// The simulation frame, counted from 0: the number of frames the simulation had completed when this one began
    /// (<c>SimulationRunner.FrameCount</c> before it). The host's messages and summary count frames from 1, so the
    /// frame a log line calls "frame 6" is the one whose <see cref="FrameId"/> is 5.
    /// </summary>
    public ulong FrameId => _range.FrameId;

    /// <summary>Seconds one tick advances.</summary>
    public double DeltaTime => _range.DeltaTime;

    /// <summary>Simulation time at the start of the current tick, in seconds: the frame's time + <see cref="TickIndex"/> × <see cref="DeltaTime"/>.</summary>
    public double Time => _range.Time + (TickIndex * _range.DeltaTime);

    /// <summary>How many ticks the job runs over this range in this run (at least 1).</summary>
    public int Ticks => _range.Ticks;

    /// <summary>The tick being run, 0 to <see cref="Ticks"/> − 1.</summary>
    public int TickIndex { get; private set; }

    /// <summary>
    /// The rows of the whole segment this frame (every range's, not only this one's): what the frame streams through
    /// the cache, for sizing decisions such as <see cref="ShouldStreamWrites"/>.
    /// </summary>
    public int SegmentRowCount => _segment.RowCount;

    /// <summary>
    /// Whether the frame's columns outgrow the last-level cache, so out-of-place writes should use
    /// <see cref="StreamingStores"/>: <see cref="SegmentRowCount"/> × <paramref name="bytesTouchedPerRow"/> (every byte
    /// the job reads and writes per row) against <see cref="LastLevelCache.SizeBytes"/>.
    /// </summary>
    /// <param name="bytesTouchedPerRow">Bytes of every column the job reads plus every column it writes, per row.</param>
    public bool ShouldStreamWrites(int bytesTouchedPerRow) =>
        LastLevelCache.IsOutgrownBy((long)_segment.RowCount * bytesTouchedPerRow);

    /// <summary>The system's parameter blob.</summary>
    public ReadOnlySpan<byte> Parameters => _range.Parameters.Span;

    /// <summary>The entity handle of every row of the range.</summary>
    public ReadOnlySpan<EntityHandle> Entities =>
        MemoryMarshal.Cast<ulong, EntityHandle>(_segment.EntityHandles.Slice(_range.RowStart, _range.RowCount));

    /// <summary>
    /// The rows of a component the system writes; mark what changed. In a snapshot segment this is the same memory as
    /// <see cref="Read{T}"/>; in a shared segment it is a scratch column whose prior contents are unspecified unless the
    /// job's <see cref="IJob.WritesEveryRow"/> is false (the host then fills it with the live values first).
    /// </summary>
    /// <typeparam name="T">The component struct.</typeparam>
    /// <exception cref="InvalidOperationException">The segment has no such column, or the system only reads it.</exception>
    public Span<T> Write<T>()
        where T : unmanaged
    {
        var column = WritableColumn<T>();
        return _segment.Column<T>(column).Slice(_range.RowStart, _range.RowCount);
    }

    /// <summary>
    /// The current rows of a component the system reads or writes, read-only: the live column on the first tick, and
    /// on later ticks of a written component the column the previous tick wrote.
    /// </summary>
    /// <typeparam name="T">The component struct.</typeparam>
    /// <exception cref="InvalidOperationException">The segment has no such column.</exception>
    public ReadOnlySpan<T> Read<T>()
        where T : unmanaged => _segment.Column<T>(CurrentColumnOf<T>()).Slice(_range.RowStart, _range.RowCount);

    /// <summary>The changed bits of a written component for this range: bit r is row r of the range.</summary>
    /// <typeparam name="T">The component struct.</typeparam>
    public ChangedBitset Changed<T>()
        where T : unmanaged => new(ChangedWords<T>(), _range.RowCount);

    /// <summary>The raw changed words of a written component for this range, for jobs that set bits 64 at a time.</summary>
    /// <typeparam name="T">The component struct.</typeparam>
    public Span<ulong> ChangedWords<T>()
        where T : unmanaged
    {
        var column = WritableColumn<T>();
        var first = _range.RowStart / JobRange.RowAlignment;
        return _segment.ChangedWords(column).Slice(first, ChangedBitset.WordsFor(_range.RowCount));
    }

    /// <summary>Marks row <paramref name="row"/> (relative to the range) of <typeparamref name="T"/> as changed.</summary>
    /// <typeparam name="T">The component struct.</typeparam>
    /// <param name="row">The row within the range.</param>
    public void MarkChanged<T>(int row)
        where T : unmanaged => Changed<T>().Set(row);

    /// <summary>Marks <paramref name="count"/> rows from <paramref name="start"/> (relative to the range) as changed.</summary>
    /// <typeparam name="T">The component struct.</typeparam>
    /// <param name="start">The first row within the range.</param>
    /// <param name="count">How many rows.</param>
    public void MarkChanged<T>(int start, int count)
        where T : unmanaged => Changed<T>().SetRange(start, count);

    /// <summary>The parameter blob read as one unmanaged struct.</summary>
    /// <typeparam name="T">The parameter struct the system wrote.</typeparam>
    /// <exception cref="InvalidOperationException">The blob's size differs from the struct's.</exception>
    public T ParametersAs<T>()
        where T : unmanaged
    {
        var bytes = _range.Parameters.Span;
        if (bytes.Length != Unsafe.SizeOf<T>())
        {
            throw new InvalidOperationException($"The job's parameters are {bytes.Length} bytes but {typeof(T).Name} is {Unsafe.SizeOf<T>()}; the system and the job disagree about the parameter struct.");
        }

        return MemoryMarshal.Read<T>(bytes);
    }

    /// <summary>Counts the rows of the range with at least one written component flagged.</summary>
    internal int CountChangedRows() => CountChangedRows(_range.WritableColumns);

    /// <summary>
    /// Counts like <see cref="CountChangedRows()"/> over the columns the job asked to write only: after
    /// <see cref="JobRunner"/> cleared every writable column of the range, no other column can hold a bit, and this
    /// skips the scratch a shared segment marks writable for a component the job only reads.
    /// </summary>
    internal int CountChangedRowsOfWrittenColumns() => CountChangedRows(_range.WritableColumns & _writtenColumns);

    /// <summary>Moves the context to tick <paramref name="tick"/>; <see cref="JobRunner"/> calls it before each run of the job.</summary>
    internal void BeginTick(int tick) => TickIndex = tick;
}
