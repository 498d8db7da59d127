using SimHost.Host.Ecs;

namespace SimHost.Host.Offload;

/// <summary>
/// The copy-in of one snapshot cut into pieces (<see cref="RowPieces"/>) that the world's threads copy at once: each
/// piece is a part of one run, copied exactly as the serial path copies a run (the same bytes to the same places).
/// Owned by its <see cref="Snapshot"/> and reused, so steady frames allocate nothing.
/// </summary>
internal sealed class SnapshotCopyWork : IQueryWork
{
    private readonly RunPieces<bool> _pieces = new();
    private int _pieceRows = int.MaxValue;
    private Snapshot? _snapshot;

    /// <summary>How many pieces the copy was cut into.</summary>
    public int PieceCount => _pieces.Count;

    /// <summary>Starts an empty copy into <paramref name="snapshot"/> of pieces of at most <paramref name="pieceRows"/> rows.</summary>
    public void Begin(Snapshot snapshot, int pieceRows)
    {
        _snapshot = snapshot;
        _pieceRows = pieceRows;
        _pieces.Clear();
    }

    /// <summary>Adds the copy of <paramref name="run"/>, cut at multiples of the piece size.</summary>
    /// <param name="run">The run's rows.</param>
    /// <param name="copyEntities">Whether the segment lacks the run's entity handles.</param>
    public void Add(in SnapshotRun run, bool copyEntities) => _pieces.AddCut(run, _pieceRows, copyEntities);

    /// <summary>Copies every piece on <paramref name="threads"/> (on the caller alone when there is one piece).</summary>
    public void Run(QueryThreads threads)
    {
        threads.Run(this, _pieces.Count);
        _snapshot = null;
    }

    /// <inheritdoc/>
    public void RunPiece(int piece)
    {
        var snapshot = _snapshot!;
        ref readonly var copy = ref _pieces[piece];
        SnapshotWriter.CopyRun(copy.Run, snapshot.Segments.Segments[copy.Run.SegmentIndex], snapshot.Columns, copyEntities: copy.Tag, stream: snapshot.StreamsCopies);
    }
}
