using System.Globalization;
using System.Text;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// The segment files of one offloaded system in a run directory. They are sized for the snapshot's rows with 25%
/// headroom, reused frame after frame, and recreated under a new <see cref="Generation"/> only when a snapshot
/// outgrows them. A snapshot larger than one segment (<see cref="SegmentLimits.MaxSegmentSizeBytes"/>) spans
/// several; every segment then has the same <see cref="RowCapacityPerSegment"/>, a multiple of 64.
/// </summary>
internal sealed class OffloadSegments : IDisposable
{
    // Every range starts on a changed-bitset word, so capacities are whole words.
    private const int JobRangeAlignment = SegmentFormat.RowsPerChangedWord;

    private readonly RunDirectory _runDirectory;
    private readonly SegmentLimits _limits;
    private readonly SharedMemoryBudget _budget;
    private readonly string _fileStem;
    private readonly int _maxRowsPerSegment;
    private SharedSegment[] _segments = [];
    private long _sizeBytes;
    private bool _isDisposed;

    /// <summary>Prepares (but does not yet create) the segments of the system <paramref name="systemName"/>.</summary>
    /// <param name="systemName">Names the files and appears in errors.</param>
    /// <param name="columns">The segment's columns.</param>
    /// <param name="runDirectory">Where the files go; it removes them when disposed.</param>
    /// <param name="limits">The largest segment and total.</param>
    /// <param name="budget">The run-wide total shared with other systems; null for one of this system's own.</param>
    /// <exception cref="SharedMemoryLimitException">Not even 64 rows fit one segment of the allowed size.</exception>
    public OffloadSegments(string systemName, SnapshotColumns columns, RunDirectory runDirectory, SegmentLimits limits, SharedMemoryBudget? budget = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(systemName);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(limits);
        SystemName = systemName;
        Columns = columns;
        _runDirectory = runDirectory;
        _limits = limits;
        _budget = budget ?? new SharedMemoryBudget(limits.MaxSharedMemoryBytes);
        _fileStem = FileStem(systemName);
        _maxRowsPerSegment = ComputeMaxRowsPerSegment(systemName, columns, limits.MaxSegmentSizeBytes);
    }

    /// <summary>The offloaded system these segments belong to.</summary>
    public string SystemName { get; }

    /// <summary>The columns of every segment.</summary>
    public SnapshotColumns Columns { get; }

    /// <summary>Bumped whenever the segments are recreated, so workers know to remap them; zero before the first.</summary>
    public uint Generation { get; private set; }

    /// <summary>The current segments (empty before the first snapshot).</summary>
    public ReadOnlySpan<SharedSegment> Segments => _segments;

    /// <summary>The row capacity of each current segment.</summary>
    public int RowCapacityPerSegment => _segments.Length == 0 ? 0 : _segments[0].RowCapacity;

    /// <summary>The rows all current segments hold together.</summary>
    public long RowCapacity => (long)RowCapacityPerSegment * _segments.Length;

    /// <summary>The most rows one segment of the allowed size holds.</summary>
    public int MaxRowsPerSegment => _maxRowsPerSegment;

    /// <summary>The bytes the current segments map.</summary>
    public long SizeBytes => _sizeBytes;

    /// <summary>
    /// Makes sure the segments hold <paramref name="rows"/> rows: keeps them when they do, otherwise recreates them
    /// larger under the next generation.
    /// </summary>
    /// <returns>Whether the segments were (re)created, so their previous contents and spans are gone.</returns>
    /// <exception cref="SharedMemoryLimitException">The rows need more shared memory than the total allows.</exception>
    public bool EnsureCapacity(int rows)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (_segments.Length > 0 && rows <= RowCapacity)
        {
            return false;
        }

        // 25% headroom so a slowly growing world does not recreate its segments every frame; without it if that
        // is all the budget allows.
        var generous = Math.Max(rows + (rows / 4), JobRangeAlignment);
        if (!TryRecreate(generous) && !TryRecreate(Math.Max(rows, JobRangeAlignment)))
        {
            throw TooLarge(rows);
        }

        return true;
    }

    /// <summary>
    /// Refuses <paramref name="rows"/> rows as <see cref="EnsureCapacity"/> would, without creating any segment: a
    /// staged in-process pass never uses these segments, but a world that would not fit them must fail the same way
    /// whichever executor runs the job.
    /// </summary>
    /// <exception cref="SharedMemoryLimitException">The rows need more shared memory than the total allows.</exception>
    public void EnsureFits(int rows)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if ((_segments.Length > 0 && rows <= RowCapacity)
            || PlanBytes(Math.Max(rows, JobRangeAlignment), out _, out _) <= _budget.LimitBytes - _budget.UsedBytes + _sizeBytes)
        {
            return;
        }

        throw TooLarge(rows);
    }

    private SharedMemoryLimitException TooLarge(int rows)
    {
        var needed = PlanBytes(Math.Max(rows, JobRangeAlignment), out _, out _);
        return new SharedMemoryLimitException(string.Create(
            CultureInfo.InvariantCulture,
            $"Offloaded system '{SystemName}' needs {needed} bytes of shared memory for {rows} rows, but {_budget.LimitBytes - _budget.UsedBytes + _sizeBytes} of the {_budget.LimitBytes} allowed remain; raise {SegmentLimits.MaxSharedMemoryFlag} (from a program: WithSegmentLimits, MaxSharedMemoryBytes)."));
    }

    /// <summary>
    /// Segments for one thread of a staged in-process pass (<see cref="StagedInProcessPass"/>): the same columns, run
    /// directory and limits, and a budget of their own, since they hold a few thousand rows and must not take the
    /// snapshot's share of the total.
    /// </summary>
    internal OffloadSegments CreateStaging(int index) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{SystemName}-staging{index}"), Columns, _runDirectory, _limits);

    /// <summary>Unmaps and deletes the segment files and returns their bytes to the budget.</summary>
    public void Dispose()
    {
        if (_isDisposed)
        {
            return;
        }

        _isDisposed = true;
        DeleteSegments();
        _budget.Release(_sizeBytes);
        _sizeBytes = 0;
    }

    private static int AlignUp(long rows) => (int)Math.Min(((rows + JobRangeAlignment - 1) / JobRangeAlignment) * JobRangeAlignment, int.MaxValue & ~(JobRangeAlignment - 1));

    private static string FileStem(string systemName)
    {
        var stem = new StringBuilder(systemName.Length);
        foreach (var c in systemName)
        {
            stem.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        return stem.ToString();
    }

    /// <summary>
    /// The most rows (a multiple of the job range alignment) one segment of <paramref name="maxSegmentBytes"/> holds.
    /// Shared storage checks it too, so <c>--segment-size</c> means the same in both storage modes.
    /// </summary>
    /// <exception cref="SharedMemoryLimitException">Not even one aligned block of rows fits.</exception>
    internal static int ComputeMaxRowsPerSegment(string systemName, SnapshotColumns columns, long maxSegmentBytes)
    {
        long perRow = SegmentFormat.EntityHandleSizeBytes;
        for (var i = 0; i < columns.Count; i++)
        {
            perRow += columns.ElementSizeBytes(i);
        }

        // The estimate ignores headers, padding and bitsets, so it is an upper bound: binary search below it for the
        // largest multiple of 64 rows whose exact plan fits.
        var estimate = Math.Min(maxSegmentBytes / perRow, SegmentFormat.MaxRowCapacity);
        long low = 0;
        var high = estimate / JobRangeAlignment;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (FitsColumns(columns, (int)(middle * JobRangeAlignment), maxSegmentBytes))
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        var rows = (int)(low * JobRangeAlignment);

        if (rows < JobRangeAlignment)
        {
            var needed = SegmentLayoutPlanner.RequiredBytes(columns.Specs, JobRangeAlignment);
            throw new SharedMemoryLimitException(string.Create(
                CultureInfo.InvariantCulture,
                $"A segment of {maxSegmentBytes} bytes cannot hold the {JobRangeAlignment} rows offloaded system '{systemName}' needs at least ({needed} bytes); raise {SegmentLimits.SegmentSizeFlag} (from a program: WithSegmentLimits, MaxSegmentSizeBytes)."));
        }

        return rows;
    }

    private static bool FitsColumns(SnapshotColumns columns, int rows, long maxSegmentBytes)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if ((long)rows * columns.ElementSizeBytes(i) > int.MaxValue)
            {
                return false;
            }
        }

        return SegmentLayoutPlanner.RequiredBytes(columns.Specs, rows) <= maxSegmentBytes;
    }

    private long PlanBytes(int rows, out int segmentCount, out int rowsPerSegment)
    {
        if (rows <= _maxRowsPerSegment)
        {
            segmentCount = 1;
            rowsPerSegment = AlignUp(rows);
        }
        else
        {
            segmentCount = (int)(((long)rows + _maxRowsPerSegment - 1) / _maxRowsPerSegment);
            rowsPerSegment = _maxRowsPerSegment;
        }

        return SegmentLayoutPlanner.RequiredBytes(Columns.Specs, rowsPerSegment) * segmentCount;
    }

    private bool TryRecreate(int rows)
    {
        var bytes = PlanBytes(rows, out var segmentCount, out var rowsPerSegment);
        if (!_budget.TryExchange(_sizeBytes, bytes))
        {
            return false;
        }

        DeleteSegments();
        _sizeBytes = bytes;
        Generation = SegmentGenerations.Next();
        var plan = SegmentLayoutPlanner.Plan(Columns.Specs, rowsPerSegment);
        var segments = new SharedSegment[segmentCount];
        try
        {
            for (var i = 0; i < segmentCount; i++)
            {
                // A fresh file per generation: a worker that still maps the old one keeps valid (if stale) pages.
                var name = string.Create(CultureInfo.InvariantCulture, $"{_fileStem}-g{Generation}-{i}.seg");
                segments[i] = SharedSegment.Create(_runDirectory.SegmentPath(name), plan);
            }
        }
        catch (Exception exception)
        {
            // Asked before the segments made so far are deleted: the room left is what the failed one met.
            var noRoom = RunDirectoryFull.Is(exception, _runDirectory, plan.TotalSizeBytes);
            foreach (var segment in segments)
            {
                if (segment is not null)
                {
                    Delete(segment);
                }
            }

            _budget.Release(bytes);
            _sizeBytes = 0;
            if (noRoom)
            {
                throw RunDirectoryFull.Exception(_runDirectory, bytes, exception);
            }

            throw;
        }

        _segments = segments;
        return true;
    }

    private void DeleteSegments()
    {
        foreach (var segment in _segments)
        {
            Delete(segment);
        }

        _segments = [];
    }

    private static void Delete(SharedSegment segment)
    {
        segment.Dispose();
        try
        {
            File.Delete(segment.Path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The run directory removes whatever is left when the run ends.
        }
    }
}
