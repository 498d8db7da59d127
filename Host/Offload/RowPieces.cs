using SimHost.Layout.Jobs;

namespace SimHost.Host.Offload;

/// <summary>
/// How the snapshot copy and the commit cut their rows for the world's threads (<see cref="Ecs.QueryThreads"/>):
/// pieces of a multiple of 64 rows, cut where the segment row is a multiple of the piece size, so no two pieces share a
/// changed-bitset word or a cache line of a segment column.
/// </summary>
internal static class RowPieces
{
    /// <summary>
    /// The fewest rows worth a piece of its own: 32768 rows of a 24-byte row are ~0.8 MB, ~80 µs of copying, well over
    /// what waking a helper thread costs. Fewer rows in all stay on the calling thread.
    /// </summary>
    public const int MinRows = 32 * 1024;

    /// <summary>Pieces per thread: a thread that wakes late, or shares its core with another process, takes fewer.</summary>
    private const int PiecesPerThread = 4;

    /// <summary>
    /// The piece size for <paramref name="totalRows"/> rows over <paramref name="threadCount"/> threads, a multiple of
    /// 64; <see cref="int.MaxValue"/> (one piece per run, the serial path) for one thread or too few rows to share.
    /// </summary>
    public static int SizeFor(int totalRows, int threadCount)
    {
        if (threadCount <= 1 || totalRows < 2 * MinRows)
        {
            return int.MaxValue;
        }

        const int Alignment = JobRange.RowAlignment;
        var perPiece = ((long)totalRows + (threadCount * PiecesPerThread) - 1) / (threadCount * PiecesPerThread);
        return (int)Math.Max(MinRows, (perPiece + Alignment - 1) / Alignment * Alignment);
    }

    /// <summary>
    /// The end (exclusive) of the piece that segment row <paramref name="row"/> starts, no further than
    /// <paramref name="end"/>: the next multiple of <paramref name="pieceRows"/>.
    /// </summary>
    public static int EndOfPiece(int row, int end, int pieceRows) =>
        (int)Math.Min(end, ((long)row / pieceRows + 1) * pieceRows);
}
