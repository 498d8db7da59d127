using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Layout.Components;
using SimHost.Layout.Segments;

namespace SimHost.Host.SharedStorage;

/// <summary>
/// The shared segment that holds one archetype's offloadable columns: for each component a pair of columns, the
/// live one the world reads and writes, and a scratch one jobs write into. Making a job's results current is
/// <see cref="Swap"/> (a pointer flip) when it wrote every row, or <see cref="CommitFlagged"/> otherwise.
/// </summary>
/// <remarks>
/// Column 2k and 2k+1 hold component k of <see cref="Components"/>; the second carries the component id with
/// <see cref="ScratchIdFlag"/> set (ids are unique in a segment) and the same layout hash, so a job finds both by
/// type and tells them apart by its writable mask. The segment is recreated under a new generation when the
/// archetype outgrows it.
/// </remarks>
internal sealed partial class ArchetypeSegment : IColumnMemory, IDisposable
{
    /// <summary>Set on the component id of the second column of each pair.</summary>
    public const uint ScratchIdFlag = 0x8000_0000;

    private const int RowAlignment = SegmentFormat.RowsPerChangedWord;

    private readonly RunDirectory _runDirectory;
    private readonly SharedMemoryBudget _budget;
    private readonly ComponentType[] _components;
    private readonly SegmentColumnSpec[] _specs;
    private readonly Column?[] _columns;
    private readonly int[] _live;
    private readonly Lock _syncLock = new();
    private SharedSegment? _segment;
    private int _syncedVersion = -1;
    private bool _isDisposed;

    internal ArchetypeSegment(Archetype archetype, ComponentType[] components, RunDirectory runDirectory, SharedMemoryBudget budget)
    {
        Archetype = archetype;
        _components = components;
        _runDirectory = runDirectory;
        _budget = budget;
        _columns = new Column?[components.Length];
        _live = new int[components.Length];
        _specs = new SegmentColumnSpec[components.Length * 2];
        for (var k = 0; k < components.Length; k++)
        {
            var hash = ComponentLayout.Of(components[k].Type).Hash;
            _specs[2 * k] = new SegmentColumnSpec((uint)components[k].Id, hash, components[k].SizeBytes);
            _specs[(2 * k) + 1] = new SegmentColumnSpec((uint)components[k].Id | ScratchIdFlag, hash, components[k].SizeBytes);
        }
    }

    /// <summary>The archetype whose columns these are.</summary>
    public Archetype Archetype { get; }

    /// <summary>The shared components of the archetype, in pair order.</summary>
    public IReadOnlyList<ComponentType> Components => _components;

    /// <summary>The mapped segment (null until the first column moves in).</summary>
    public SharedSegment? Segment => _segment;

    /// <summary>Bumped whenever the segment file is recreated, so workers remap it.</summary>
    public uint Generation { get; private set; }

    /// <summary>The bytes the current segment maps.</summary>
    public long SizeBytes => _segment?.SizeBytes ?? 0;

    /// <summary>The pair index of <paramref name="componentId"/>, or -1 if the archetype does not share it.</summary>
    public int PairOf(int componentId)
    {
        for (var k = 0; k < _components.Length; k++)
        {
            if (_components[k].Id == componentId)
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>The segment column the world currently reads for pair <paramref name="pair"/>.</summary>
    public int LiveColumn(int pair) => (2 * pair) + _live[pair];

    /// <summary>The segment column jobs write for pair <paramref name="pair"/>.</summary>
    public int ScratchColumn(int pair) => (2 * pair) + 1 - _live[pair];

    /// <summary>
    /// Brings the segment's header and entity column up to date with the archetype (the entity column only after a
    /// structural change, so steady frames copy nothing) and returns the rows in use.
    /// </summary>
    public int SyncRows(ulong frameId)
    {
        var segment = Current();
        lock (_syncLock)
        {
            var count = Archetype.Count;
            if (_syncedVersion != Archetype.StructureVersion)
            {
                MemoryMarshal.Cast<Entity, ulong>(Archetype.Entities).CopyTo(segment.EntityHandles);
                _syncedVersion = Archetype.StructureVersion;
            }

            segment.RowCount = count;
            segment.FrameId = frameId;
            return count;
        }
    }

    /// <summary>Copies the live values of pair <paramref name="pair"/> into its scratch for rows [start, +count).</summary>
    public void CopyLiveToScratch(int pair, int start, int count)
    {
        var segment = Current();
        var size = _components[pair].SizeBytes;
        segment.ColumnBytes(LiveColumn(pair)).Slice(start * size, count * size)
            .CopyTo(segment.ColumnBytes(ScratchColumn(pair)).Slice(start * size, count * size));
    }

    /// <inheritdoc/>
    void IColumnMemory.Attach(Column column, int rowCapacity)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        var pair = PairOf(column.ComponentId);
        if (pair < 0)
        {
            throw new InvalidOperationException($"{Archetype} does not share component {ComponentType.FromId(column.ComponentId).Name}.");
        }

        _columns[pair] = column;
        if (_segment is null || _segment.RowCapacity < rowCapacity)
        {
            Recreate(rowCapacity, 0);
        }

        Bind(pair);
    }

    /// <inheritdoc/>
    void IColumnMemory.EnsureCapacity(int rowCapacity, int keepRows)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        if (_segment is null || _segment.RowCapacity < rowCapacity)
        {
            Recreate(rowCapacity, keepRows);
        }
    }

    /// <summary>Moves the columns back into managed arrays, then unmaps and deletes the segment file.</summary>
    public void Dispose()
    {
        if (_isDisposed)
        {
            return;
        }

        _isDisposed = true;
        foreach (var column in _columns)
        {
            column?.MoveToManaged();
        }

        if (_segment is { } segment)
        {
            Delete(segment);
            _budget.Release(segment.SizeBytes);
            _segment = null;
        }
    }

    private SharedSegment Current()
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        return _segment ?? throw new InvalidOperationException($"{Archetype} has no shared segment yet.");
    }

    private unsafe void Bind(int pair)
    {
        if (_columns[pair] is not { } column || _segment is not { } segment)
        {
            return;
        }

        var bytes = segment.ColumnBytes(LiveColumn(pair));
        column.Bind((nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes)), segment.RowCapacity);
    }

    private void Recreate(int rowCapacity, int keepRows)
    {
        // 64-row multiples: every range starts on a changed-bitset word.
        var rows = (int)Math.Min(((Math.Max(rowCapacity, RowAlignment) + (long)RowAlignment - 1) / RowAlignment) * RowAlignment, SegmentFormat.MaxRowCapacity & ~(RowAlignment - 1));
        var plan = SegmentLayoutPlanner.Plan(_specs, rows);
        var old = _segment;
        var oldBytes = old?.SizeBytes ?? 0;
        if (!_budget.TryExchange(oldBytes, plan.TotalSizeBytes))
        {
            throw new SharedMemoryLimitException(string.Create(
                CultureInfo.InvariantCulture,
                $"Shared storage of {Archetype} {(old is null ? "needs room for" : $"must grow past its {old.RowCapacity} rows to")} {rows} rows ({plan.TotalSizeBytes} bytes{(old is null ? string.Empty : ": an archetype's room doubles as it fills")}), but {_budget.LimitBytes - _budget.UsedBytes + oldBytes} of the {_budget.LimitBytes} bytes allowed remain; raise {SegmentLimits.MaxSharedMemoryFlag} or seed fewer entities (from a program: WithSegmentLimits, MaxSharedMemoryBytes)."));
        }

        SharedSegment segment;
        var generation = SegmentGenerations.Next();
        try
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"archetype{Archetype.Id}-g{generation}.seg");
            segment = SharedSegment.Create(_runDirectory.SegmentPath(name), plan);
        }
        catch (Exception exception)
        {
            _budget.TryExchange(plan.TotalSizeBytes, oldBytes);
            if (RunDirectoryFull.Is(exception, _runDirectory, plan.TotalSizeBytes))
            {
                throw RunDirectoryFull.Exception(_runDirectory, plan.TotalSizeBytes, exception);
            }

            throw;
        }

        Generation = generation;
        if (old is not null)
        {
            // Only the live values are worth keeping; the new segment starts with column A live.
            for (var k = 0; k < _components.Length; k++)
            {
                var size = _components[k].SizeBytes;
                var keep = Math.Min(keepRows, old.RowCapacity) * size;
                old.ColumnBytes(LiveColumn(k))[..keep].CopyTo(segment.ColumnBytes(2 * k));
                _live[k] = 0;
            }
        }

        _segment = segment;
        _syncedVersion = -1;
        for (var k = 0; k < _components.Length; k++)
        {
            Bind(k);
        }

        if (old is not null)
        {
            Delete(old);
        }
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
