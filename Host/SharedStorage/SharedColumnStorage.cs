using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.SharedStorage;

/// <summary>
/// Shared storage for one offloaded system: nothing is copied in, jobs read the archetypes' live columns and write
/// their scratch columns, and a range's values become current only once it completed. When every range of an
/// archetype completed, that is one <see cref="ArchetypeSegment.Swap"/> per written component; otherwise the flagged
/// rows of the completed ranges are block-copied. The live columns are untouched while the ranges run, so a failed
/// range only needs its scratch reset; one that fails every time leaves the world untouched.
/// </summary>
internal sealed class SharedColumnStorage : IOffloadStorage
{
    private readonly string _jobName;
    private readonly SharedColumnStore _store;
    private readonly ComponentType[] _writes;
    private readonly ComponentType[] _accessed;
    private readonly List<Target> _targets = [];
    private int[] _rowsPerTarget = [];
    private int[]?[] _writtenPairsByArchetype = [];

    /// <summary>Storage for <paramref name="jobName"/> of a system writing <paramref name="writes"/> and reading <paramref name="reads"/>.</summary>
    /// <param name="jobName">The job, for error messages.</param>
    /// <param name="writesEveryRow">The job writes every row of its written columns (<see cref="IJob.WritesEveryRow"/>): no live-to-scratch copy, and a swap commits.</param>
    /// <param name="writes">Components the job writes.</param>
    /// <param name="reads">Components the job only reads.</param>
    /// <param name="store">The world's shared columns.</param>
    public SharedColumnStorage(string jobName, bool writesEveryRow, IReadOnlyList<ComponentType> writes, IReadOnlyList<ComponentType> reads, SharedColumnStore store)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(store);
        _jobName = jobName;
        WritesEveryRow = writesEveryRow;
        _store = store;
        _writes = [.. writes];
        var accessed = new List<ComponentType>(writes);
        foreach (var read in reads)
        {
            if (!accessed.Contains(read))
            {
                accessed.Add(read);
            }
        }

        _accessed = [.. accessed];
    }

    /// <summary>Whether the job writes every row, so scratch columns need no filling and a swap commits.</summary>
    public bool WritesEveryRow { get; }

    public int SegmentCount => _targets.Count;

    public JobRange WholeSegment(int segmentIndex, in JobRange job)
    {
        var target = _targets[segmentIndex];
        return job with
        {
            SegmentIndex = segmentIndex,
            SegmentPath = target.Segment.Segment!.Path,
            SegmentGeneration = target.Segment.Generation,
            RowStart = 0,
            RowCount = _rowsPerTarget[segmentIndex],
            WritableColumns = target.WritableColumns,
            LiveColumns = target.LiveColumns,
        };
    }

    public SharedSegment SegmentOf(int segmentIndex) => _targets[segmentIndex].Segment.Segment!;

    public void PrepareRetry(in JobRange range) => ResetScratch(range);

    public string Describe(in JobRange range) =>
        $"{_targets[range.SegmentIndex].Segment.Archetype} range {range.RowStart}+{range.RowCount}";

    public CommitResult Commit(RangeRetryLoop loop, int failedFirst) => new(CommitRanges(loop), 0);

    public int Prepare(Query query, ulong frameId)
    {
        _targets.Clear();
        var rows = 0;
        foreach (var chunk in query.Chunks())
        {
            var archetype = chunk.Archetype;
            if (chunk.Start != 0 || chunk.Length != archetype.Count)
            {
                throw new InvalidOperationException(
                    $"Job '{_jobName}' matched part of {archetype}; shared storage offloads whole archetypes, so the system's query must not filter on changes.");
            }

            var segment = _store.SegmentOf(archetype)
                ?? throw new InvalidOperationException($"Job '{_jobName}' matched {archetype}, whose columns are not shared; build the world's storage with the system's components.");
            var target = new Target(segment, WrittenPairsOf(archetype));
            ulong writable = 0;
            ulong live = 0;
            for (var i = 0; i < _accessed.Length; i++)
            {
                var pair = segment.PairOf(_accessed[i].Id);
                if (pair < 0)
                {
                    throw new InvalidOperationException($"Job '{_jobName}' matched {archetype}, which does not share {_accessed[i].Name}; its query must require every component it reads or writes.");
                }

                // The job reads every accessed pair's live column and writes only the scratch of the pairs it writes, so
                // writing a component the system only reads is refused in the worker as in snapshot storage.
                live |= 1UL << segment.LiveColumn(pair);
                if (i < _writes.Length)
                {
                    writable |= 1UL << segment.ScratchColumn(pair);
                    target.WrittenPairs[i] = pair;
                }
            }

            var count = segment.SyncRows(frameId);
            // The scratch changed bits need no clearing here: the job runner clears its range's words itself.
            if (!WritesEveryRow)
            {
                foreach (var pair in target.WrittenPairs)
                {
                    segment.CopyLiveToScratch(pair, 0, count);
                }
            }

            _targets.Add(target with { WritableColumns = writable, LiveColumns = live });
            rows += count;
        }

        if (_rowsPerTarget.Length < _targets.Count)
        {
            _rowsPerTarget = new int[_targets.Count * 2];
        }

        for (var i = 0; i < _targets.Count; i++)
        {
            _rowsPerTarget[i] = _targets[i].Segment.Archetype.Count;
        }

        return rows;
    }

    // Cached per archetype so steady frames allocate nothing; a segment's pair order never changes.
    private int[] WrittenPairsOf(Archetype archetype)
    {
        if (archetype.Id >= _writtenPairsByArchetype.Length)
        {
            Array.Resize(ref _writtenPairsByArchetype, Math.Max(archetype.Id + 1, _writtenPairsByArchetype.Length * 2));
        }

        return _writtenPairsByArchetype[archetype.Id] ??= new int[_writes.Length];
    }

    private void ResetScratch(in JobRange range)
    {
        // Only in-place jobs need their scratch refilled; the runner clears the changed bits of every run itself.
        if (WritesEveryRow)
        {
            return;
        }

        var target = _targets[range.SegmentIndex];
        foreach (var pair in target.WrittenPairs)
        {
            target.Segment.CopyLiveToScratch(pair, range.RowStart, range.RowCount);
        }
    }

    private int CommitRanges(RangeRetryLoop loop)
    {
        var committed = 0;
        for (var t = 0; t < _targets.Count; t++)
        {
            var target = _targets[t];
            var segment = target.Segment;
            var tick = segment.Archetype.World.ChangeTick;
            if (!HasFailed(loop.Abandoned, t))
            {
                // Every range completed: the scratch holds every row's new value, so making it live is a flip.
                committed += SwapAll(target, tick);
                continue;
            }

            foreach (var range in loop.Succeeded)
            {
                if (range.SegmentIndex != t)
                {
                    continue;
                }

                var flagged = 0;
                foreach (var pair in target.WrittenPairs)
                {
                    flagged = Math.Max(flagged, segment.CommitFlagged(pair, range.RowStart, range.RowCount, tick));
                }

                committed += flagged;
            }
        }

        return committed;
    }

    // Only flagged rows are committed, whatever the job wrote elsewhere. A column whose every row is flagged swaps as
    // it is; one with few flags copies those rows over the live column; otherwise the unflagged rows' live values are
    // put back into the scratch first, so the swap keeps them.
    private static int SwapAll(Target target, uint tick)
    {
        var segment = target.Segment;
        var rows = segment.Archetype.Count;
        var changed = 0;
        foreach (var pair in target.WrittenPairs)
        {
            var flagged = CountFlagged(segment, pair, rows);
            changed = Math.Max(changed, flagged);
            if (flagged == rows)
            {
                segment.Swap(pair, tick);
            }
            else if (flagged <= rows / 2)
            {
                _ = segment.CommitFlagged(pair, 0, rows, tick);
            }
            else
            {
                segment.RestoreUnflagged(pair);
                segment.Swap(pair, tick);
            }
        }

        return changed;
    }

    private static int CountFlagged(ArchetypeSegment segment, int pair, int rows)
    {
        var words = segment.Segment!.ChangedWords(segment.ScratchColumn(pair))[..SegmentFormat.ChangedWordCount(rows)];
        var count = 0;
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            var wordStart = i * SegmentFormat.RowsPerChangedWord;
            if (rows - wordStart < SegmentFormat.RowsPerChangedWord)
            {
                word &= (1UL << (rows - wordStart)) - 1;
            }

            count += System.Numerics.BitOperations.PopCount(word);
        }

        return count;
    }

    private static bool HasFailed(List<JobRange> abandoned, int targetIndex)
    {
        foreach (var range in abandoned)
        {
            if (range.SegmentIndex == targetIndex)
            {
                return true;
            }
        }

        return false;
    }

    private readonly record struct Target(ArchetypeSegment Segment, int[] WrittenPairs, ulong WritableColumns = 0, ulong LiveColumns = 0);
}
