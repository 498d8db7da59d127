namespace SimHost.Host.Offload;

/// <summary>
/// The pieces a parallel snapshot copy or commit is cut into (<see cref="RowPieces"/>), each a part of one
/// <see cref="SnapshotRun"/> with what its work needs besides the rows (<typeparamref name="TTag"/>). Kept by its work
/// and reused, so steady frames allocate nothing once the array has grown.
/// </summary>
internal sealed class RunPieces<TTag>
    where TTag : struct
{
    private (SnapshotRun Run, TTag Tag)[] _pieces = new (SnapshotRun, TTag)[8];

    /// <summary>How many pieces are held.</summary>
    public int Count { get; private set; }

    /// <summary>The piece at <paramref name="index"/>.</summary>
    public ref readonly (SnapshotRun Run, TTag Tag) this[int index] => ref _pieces[index];

    /// <summary>Forgets every piece (the array is kept).</summary>
    public void Clear() => Count = 0;

    /// <summary>Adds <paramref name="run"/> cut at the multiples of <paramref name="pieceRows"/> of its segment rows, each piece tagged <paramref name="tag"/>.</summary>
    public void AddCut(in SnapshotRun run, int pieceRows, TTag tag)
    {
        var end = run.SegmentRow + run.RowCount;
        for (var row = run.SegmentRow; row < end;)
        {
            var pieceEnd = RowPieces.EndOfPiece(row, end, pieceRows);
            if (Count == _pieces.Length)
            {
                Array.Resize(ref _pieces, _pieces.Length * 2);
            }

            _pieces[Count++] = (run with { ArchetypeRow = run.ArchetypeRow + (row - run.SegmentRow), SegmentRow = row, RowCount = pieceEnd - row }, tag);
            row = pieceEnd;
        }
    }
}
