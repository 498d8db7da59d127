using System.Numerics;
using SimHost.Host.Ecs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// The block-wise part of a commit (runs whose archetype rows still hold the snapshot's entities), cut into pieces
/// (<see cref="RowPieces"/>) that the world's threads copy back at once. Flagged rows are counted and the stamping is
/// decided per archetype and written component before the copy, over every range of the frame together: a component
/// flagged on every row of its archetype is stamped lazily once (<see cref="Column.DeferStampAllRows"/>), whichever
/// ranges and pieces its rows came in; any other has the ticks of its flagged rows written by the piece that copies
/// them. Owned by its <see cref="Snapshot"/> and reused, so steady frames allocate nothing.
/// </summary>
/// <remarks>
/// Deciding "every row changed" per range instead made the frame slower with more ranges: two ranges of a moving
/// million-particle column each stamped 4 bytes a row (8 MB of ticks a frame for two components) where one range
/// stamped nothing until something read the ticks.
/// </remarks>
internal sealed class CommitBlockWork : IQueryWork
{
    private readonly RunPieces<int> _pieces = new();
    private int _pieceRows = int.MaxValue;
    private Snapshot? _snapshot;
    private uint _tick;

    // The archetypes this commit writes (its slots), and per slot and written column the rows flagged and the tick
    // array the pieces stamp (null: nothing to stamp, or the whole column stamped lazily).
    private readonly ArchetypeSlots _slots = new();
    private long[] _flagged = [];
    private Column?[] _ticks = [];

    /// <summary>Starts an empty commit of <paramref name="snapshot"/> in pieces of at most <paramref name="pieceRows"/> rows.</summary>
    public void Begin(Snapshot snapshot, int pieceRows)
    {
        _snapshot = snapshot;
        _pieceRows = pieceRows;
        _tick = snapshot.World.ChangeTick;
        ForgetArchetypes();
        _pieces.Clear();
    }

    /// <summary>Adds the block-wise commit of <paramref name="run"/> (a part of one succeeded range).</summary>
    /// <returns>The run's rows with any written component flagged.</returns>
    public int Add(in SnapshotRun run)
    {
        var snapshot = _snapshot!;
        var columns = snapshot.Columns;
        var segment = snapshot.Segments.Segments[run.SegmentIndex];
        var slot = SlotOf(run.Archetype, columns.WrittenCount);
        var firstWord = run.SegmentRow / SegmentFormat.RowsPerChangedWord;
        var lastWord = (run.SegmentRow + run.RowCount - 1) / SegmentFormat.RowsPerChangedWord;
        for (var column = 0; column < columns.WrittenCount; column++)
        {
            var words = segment.ChangedWords(column);
            long flagged = 0;
            for (var word = firstWord; word <= lastWord; word++)
            {
                flagged += BitOperations.PopCount(words[word] & RunMask(run, word));
            }

            _flagged[(slot * columns.WrittenCount) + column] += flagged;
        }

        var committed = 0;
        for (var word = firstWord; word <= lastWord; word++)
        {
            ulong union = 0;
            for (var column = 0; column < columns.WrittenCount; column++)
            {
                union |= segment.ChangedWords(column)[word];
            }

            committed += BitOperations.PopCount(union & RunMask(run, word));
        }

        _pieces.AddCut(run, _pieceRows, slot);

        return committed;
    }

    /// <summary>Stamps what is stamped once per column, then copies every piece on <paramref name="threads"/>.</summary>
    public void Run(QueryThreads threads)
    {
        var columns = _snapshot!.Columns;
        try
        {
            for (var slot = 0; slot < _slots.Count; slot++)
            {
                var archetype = _slots[slot];
                for (var column = 0; column < columns.WrittenCount; column++)
                {
                    var index = (slot * columns.WrittenCount) + column;
                    var ticks = archetype.GetColumn(columns.ComponentId(column));
                    _ticks[index] = null;
                    if (_flagged[index] == 0)
                    {
                        continue;
                    }

                    if (_flagged[index] == archetype.Count)
                    {
                        // The whole column changed: stamp it lazily, so a system moving everything writes no ticks nobody reads.
                        ticks.DeferStampAllRows(archetype.Count, _tick);
                    }
                    else
                    {
                        // Applied here, on one thread: the pieces must not race for a deferred stamp.
                        ticks.ApplyDeferredStamp();
                        _ticks[index] = ticks;
                        ticks.LastChangedTick = _tick;
                    }
                }
            }

            threads.Run(this, _pieces.Count);
        }
        finally
        {
            ForgetArchetypes();
            _pieces.Clear();
            _snapshot = null;
        }
    }

    // Also at Begin: a commit that threw between Begin and Run (a resize, a row that no longer maps) must not leave
    // an archetype mapped to a slot the next commit gives another.
    private void ForgetArchetypes()
    {
        _slots.Clear();
        _ticks.AsSpan().Clear();
    }

    /// <inheritdoc/>
    public void RunPiece(int piece)
    {
        var snapshot = _snapshot!;
        ref readonly var work = ref _pieces[piece];
        var run = work.Run;
        var columns = snapshot.Columns;
        var segment = snapshot.Segments.Segments[run.SegmentIndex];
        var archetype = run.Archetype;

        // Column by column, so each column's spans are fetched once; consecutive flagged rows, across word borders
        // too, become one block copy (a fully changed piece of a column is a single memcpy).
        for (var column = 0; column < columns.WrittenCount; column++)
        {
            FlaggedBlocks.Copy(
                segment.ChangedWords(column),
                run.SegmentRow,
                run.SegmentRow + run.RowCount,
                segment.ColumnBytes(column),
                archetype.GetBytes(columns.ComponentId(column)),
                run.ArchetypeRow - run.SegmentRow,
                columns.ElementSizeBytes(column),
                _ticks[(work.Tag * columns.WrittenCount) + column] is { } ticks ? ticks.StoredChangedTicks : default,
                _tick,
                snapshot.StreamsCopies);
        }
    }

    /// <summary>The rows of <paramref name="run"/> in word <paramref name="word"/>, as a mask over that word.</summary>
    private static ulong RunMask(in SnapshotRun run, int word)
    {
        var wordStart = word * SegmentFormat.RowsPerChangedWord;
        var from = Math.Max(run.SegmentRow, wordStart) - wordStart;
        var to = Math.Min(run.SegmentRow + run.RowCount, wordStart + SegmentFormat.RowsPerChangedWord) - wordStart;
        var upper = to == 64 ? ulong.MaxValue : (1UL << to) - 1;
        return upper & ~((1UL << from) - 1);
    }

    private int SlotOf(Archetype archetype, int writtenCount)
    {
        var slot = _slots.SlotOf(archetype, out var isNew);
        if (!isNew)
        {
            return slot;
        }

        var needed = (slot + 1) * writtenCount;
        if (_flagged.Length < needed)
        {
            Array.Resize(ref _flagged, Math.Max(needed, _flagged.Length * 2));
            Array.Resize(ref _ticks, _flagged.Length);
        }

        _flagged.AsSpan(slot * writtenCount, writtenCount).Clear();
        return slot;
    }
}
