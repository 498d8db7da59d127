using Microsoft.Extensions.Logging;
using SimHost.Host.Ecs;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// An offloaded system's frame run in the host over snapshot storage (<c>--workers 0</c>), piece by piece while the
/// rows are in the core's cache: each piece of a few thousand rows is copied into the staging segment of the thread
/// running it, the job runs there, and the rows it flagged are written straight back. The same copy, job and commit as
/// the snapshot path, but one pass over memory instead of three (copy in, job, commit back), each of which bound the
/// frame by memory bandwidth. A piece is a range: it commits only if its job succeeded, after as many in-process
/// attempts as the failure policy allows, and nothing of an abandoned piece is written.
/// </summary>
/// <remarks>
/// Pieces start on multiples of 64 rows and never share a row, so running them at once on the world's threads writes
/// what running them one after another writes. Change ticks are stamped once every piece is done
/// (<see cref="StagedFlags"/>), at the tick the snapshot commit would use.
/// </remarks>
internal sealed class StagedInProcessPass : IQueryWork, IDisposable
{
    // About 128 KiB of staging per piece: the piece's copy, the job's work and the write-back stay in a core's L2.
    private const int StagingBytesPerPiece = 128 * 1024;

    private readonly Snapshot _snapshot;
    private readonly InProcessRangeExecutor _executor;
    private readonly StagedPieceFailures _failures;
    private readonly StagedFlags _flags = new();
    private readonly StagingSlots _staging;
    private readonly int _maxPieceRows;
    private SnapshotRun[] _runs = new SnapshotRun[8];
    private int[] _runSlots = new int[8];
    private int _runCount;
    private int _rowCount;
    private int _pieceRows;
    private JobRange _job;
    private int _attempts;
    private int _committed;
    private int _failedFirst;
    private int _retried;
    private int _abandoned;

    /// <summary>A pass over <paramref name="snapshot"/>'s system, running its job on <paramref name="executor"/>'s catalog.</summary>
    public StagedInProcessPass(Snapshot snapshot, InProcessRangeExecutor executor, ILogger logger)
    {
        _snapshot = snapshot;
        _executor = executor;
        _failures = new StagedPieceFailures(logger, snapshot.Segments.SystemName);
        _staging = new StagingSlots(snapshot.Segments, executor);
        long bytesPerRow = SegmentFormat.EntityHandleSizeBytes;
        for (var column = 0; column < snapshot.Columns.Count; column++)
        {
            bytesPerRow += snapshot.Columns.ElementSizeBytes(column);
        }

        var rows = (int)Math.Clamp(StagingBytesPerPiece / bytesPerRow, SegmentFormat.RowsPerChangedWord, snapshot.Segments.MaxRowsPerSegment);
        _maxPieceRows = rows / SegmentFormat.RowsPerChangedWord * SegmentFormat.RowsPerChangedWord;
    }

    /// <summary>Where and why the latest failed piece of the last frame failed, or null when none failed.</summary>
    public string? LastFailure => _failures.LastFailure;

    /// <summary>
    /// Gathers the rows of <paramref name="query"/> and checks them, on the calling thread: what the snapshot path
    /// would refuse (a matched archetype without a column, more rows than the shared-memory limits allow) is refused
    /// here too, before anything runs.
    /// </summary>
    /// <returns>Whether there is work: false when no row matched.</returns>
    public bool Prepare(Query query, in JobRange job, int attempts)
    {
        ObjectDisposedException.ThrowIf(_staging.IsDisposed, this);
        var chunks = _snapshot.GatherChunks(query, out var rowCount);
        // The snapshot's segments are never created here (they would take /dev/shm for nothing), but a system whose
        // rows would not fit the limits fails as the snapshot path fails, whichever executor runs the job.
        _snapshot.Segments.EnsureFits(rowCount);
        _snapshot.SetEntitiesTrusted(false);
        var columns = _snapshot.Columns;
        _flags.Begin(rowCount, columns.WrittenCount);
        _runCount = 0;
        var next = 0;
        foreach (var chunk in chunks)
        {
            SnapshotWriter.RequireColumns(chunk.Archetype, _snapshot);
            if (_runCount == _runs.Length)
            {
                Array.Resize(ref _runs, _runs.Length * 2);
                Array.Resize(ref _runSlots, _runs.Length);
            }

            _runs[_runCount] = new SnapshotRun(chunk.Archetype, chunk.Start, 0, next, chunk.Length, chunk.Archetype.StructureVersion);
            _runSlots[_runCount++] = _flags.SlotOf(chunk.Archetype);
            next += chunk.Length;
        }

        _rowCount = rowCount;
        _job = job;
        _attempts = attempts;
        _committed = _failedFirst = _retried = _abandoned = 0;
        _failures.Begin(job.JobName, attempts);

        // At least one piece per thread, so a small system still runs on every thread.
        var perSlot = (rowCount + _executor.ParallelSlots - 1) / _executor.ParallelSlots;
        var aligned = (perSlot + SegmentFormat.RowsPerChangedWord - 1) / SegmentFormat.RowsPerChangedWord * SegmentFormat.RowsPerChangedWord;
        _pieceRows = Math.Clamp(aligned, SegmentFormat.RowsPerChangedWord, _maxPieceRows);
        return rowCount > 0;
    }

    /// <summary>The number of pieces the prepared rows are cut into.</summary>
    public int PieceCount => _rowCount == 0 ? 0 : (_rowCount + _pieceRows - 1) / _pieceRows;

    /// <summary>Runs every piece (on the world's threads when the executor has several) and stamps what they committed.</summary>
    public OffloadResult Run()
    {
        var pieces = PieceCount;
        try
        {
            if (_executor.ParallelSlots == 1)
            {
                for (var piece = 0; piece < pieces; piece++)
                {
                    RunPiece(piece);
                }
            }
            else
            {
                _snapshot.World.Threads.Run(this, pieces);
            }
        }
        finally
        {
            // Even when a piece threw (not its job: the pass itself), what the others committed is stamped changed.
            _flags.Stamp(_runs.AsSpan(0, _runCount), _runSlots.AsSpan(0, _runCount), _snapshot.Columns, _snapshot.World.ChangeTick);
            _failures.End(pieces);
        }

        return new OffloadResult(_rowCount, _committed, 0, pieces, _failedFirst, _retried, _abandoned);
    }

    /// <inheritdoc/>
    public void RunPiece(int piece)
    {
        var start = piece * _pieceRows;
        var count = Math.Min(_pieceRows, _rowCount - start);
        var slot = _staging.Rent(_job.JobName);
        try
        {
            slot.EnsureRows(count);
            var staging = slot.Segment;
            var range = _job with
            {
                SegmentIndex = 0,
                SegmentPath = staging.Path,
                SegmentGeneration = slot.Generation,
                RowStart = 0,
                RowCount = count,
                WritableColumns = _snapshot.Columns.WritableColumns,
                LiveColumns = 0,
            };
            var described = range with { RowStart = start };
            for (var attempt = 0; attempt < _attempts; attempt++)
            {
                if (attempt > 0)
                {
                    Interlocked.Increment(ref _retried);
                }

                CopyIn(start, count, staging);
                var outcome = _executor.RunHere(slot.Job, staging, range, described, slot.Context);
                if (outcome.Succeeded && !StructureMoved(start, count))
                {
                    Commit(start, count, staging);
                    return;
                }

                var reason = outcome.Succeeded
                    ? "the world's structure changed while the job ran; structural changes go through a system's command buffer"
                    : outcome.Failure;
                if (attempt == 0)
                {
                    Interlocked.Increment(ref _failedFirst);
                }

                _failures.Failed(start, count, reason);
            }

            Interlocked.Increment(ref _abandoned);
            _failures.Abandoned(start, count);
        }
        finally
        {
            _staging.Return(slot);
        }
    }

    /// <summary>Deletes the staging segments.</summary>
    public void Dispose() => _staging.Dispose();

    private void CopyIn(int start, int count, SharedSegment staging)
    {
        var end = start + count;
        for (var index = FirstRunAt(start); index < _runCount && _runs[index].SegmentRow < end; index++)
        {
            var run = _runs[index];
            var from = Math.Max(run.SegmentRow, start);
            var to = Math.Min(run.SegmentRow + run.RowCount, end);
            var piece = run with { ArchetypeRow = run.ArchetypeRow + (from - run.SegmentRow), SegmentRow = from - start, RowCount = to - from };
            SnapshotWriter.CopyRun(piece, staging, _snapshot.Columns, copyEntities: true, stream: false);
        }

        staging.RowCount = count;
        staging.FrameId = _job.FrameId;
    }

    private bool StructureMoved(int start, int count)
    {
        var end = start + count;
        for (var index = FirstRunAt(start); index < _runCount && _runs[index].SegmentRow < end; index++)
        {
            if (_runs[index].Archetype.StructureVersion != _runs[index].StructureVersion)
            {
                return true;
            }
        }

        return false;
    }

    private void Commit(int start, int count, SharedSegment staging)
    {
        var columns = _snapshot.Columns;
        var words = SegmentFormat.ChangedWordCount(count);
        var end = start + count;
        for (var column = 0; column < columns.WrittenCount; column++)
        {
            var flags = staging.ChangedWords(column)[..words];
            _flags.Record(column, start, flags);
            var size = columns.ElementSizeBytes(column);
            var source = staging.ColumnBytes(column);
            for (var index = FirstRunAt(start); index < _runCount && _runs[index].SegmentRow < end; index++)
            {
                var run = _runs[index];
                var from = Math.Max(run.SegmentRow, start) - start;
                var to = Math.Min(run.SegmentRow + run.RowCount, end) - start;
                var target = run.Archetype.GetBytes(columns.ComponentId(column));
                var archetypeRowOfFirst = run.ArchetypeRow + (start - run.SegmentRow);
                _flags.AddFlagged(_runSlots[index], column, FlaggedBlocks.Copy(flags, from, to, source, target, archetypeRowOfFirst, size));
            }
        }

        Interlocked.Add(ref _committed, FlaggedBlocks.CountUnion(staging, columns.WrittenCount, count));
    }

    // The runs are in row order: the last one starting at or before the row.
    private int FirstRunAt(int row)
    {
        int low = 0, high = _runCount - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (_runs[middle].SegmentRow <= row)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }
}
