namespace SimHost.Host.Ecs;

/// <summary>Parallel iteration: the matched rows split over the world's <see cref="QueryThreads"/>.</summary>
public sealed partial class Query
{
    /// <summary>The smallest piece worth handing to another thread: below it, waking a thread costs more than the rows.</summary>
    private const int MinPieceRows = 1024;

    /// <summary>Pieces per thread: a few, so a thread that wakes late or runs slower leaves less for the others to wait on.</summary>
    private const int PiecesPerThread = 4;

    private Chunk[] _pieces = [];
    private IQueryWork? _parallelWork;

    /// <summary>
    /// Runs <paramref name="callback"/> over every matched row, split into chunks of whole 64-row blocks (no two
    /// threads share a cache line of any column or a word of a changed bitset) over <see cref="World.Threads"/>; the
    /// calling thread works too and the call returns when every row is done. Each thread runs its own copy of the
    /// callback, so what the callback writes to its own fields is lost; rows written through the chunk's spans count
    /// as changed once marked (<see cref="Chunk.MarkChanged{T}"/>), exactly as in a serial <c>foreach</c>.
    /// </summary>
    /// <remarks>
    /// Allocates nothing once warm. In a system, declare <c>UsesAllThreads()</c> so the scheduler runs no other
    /// in-process system beside it. Structural changes are refused until the call returns, as while iterating.
    /// </remarks>
    /// <exception cref="Exception">The first exception a callback threw, rethrown once every thread has stopped.</exception>
    public void ParallelForEachChunk<TCallback>(in TCallback callback)
        where TCallback : struct, IForEachChunk
    {
        QueryThreads threads = World.Threads;
        int pieceCount = CutPieces(threads.ThreadCount);
        if (pieceCount == 0)
        {
            return;
        }

        if (_parallelWork is not ChunkWork<TCallback> work)
        {
            // Once per callback type a query is run with: steady frames reuse it.
            work = new ChunkWork<TCallback>();
            _parallelWork = work;
        }

        work.Callback = callback;
        work.Pieces = _pieces;
        World.EnterIteration();
        try
        {
            threads.Run(work, pieceCount);
        }
        finally
        {
            World.ExitIteration();
            work.Callback = default;
        }
    }

    // Cuts the matched chunks (a change filter's runs of changed rows included) into pieces on multiples of the piece
    // length in row space, itself a multiple of 64, so every piece boundary inside a table is 64-row aligned.
    private int CutPieces(int threadCount)
    {
        int total = 0;
        int chunks = 0;
        foreach (Chunk chunk in Chunks())
        {
            if (chunks == _pieces.Length)
            {
                Array.Resize(ref _pieces, Math.Max(16, _pieces.Length * 2));
            }

            _pieces[chunks++] = chunk;
            total += chunk.Length;
        }

        if (threadCount == 1 || total <= MinPieceRows)
        {
            return chunks;
        }

        int pieceRows = (int)Math.Min(int.MaxValue & ~63, ((total / ((long)threadCount * PiecesPerThread)) + 63) & ~63L);
        pieceRows = Math.Max(pieceRows, MinPieceRows);
        int pieceCount = 0;
        for (int i = 0; i < chunks; i++)
        {
            Chunk chunk = _pieces[i];
            int end = chunk.Start + chunk.Length;
            pieceCount += ((end - 1) / pieceRows) - (chunk.Start / pieceRows) + 1;
        }

        // Cut in place from the back: piece k of chunk i never lands before chunk i's own slot is read.
        int needed = Math.Max(pieceCount, chunks);
        if (needed > _pieces.Length)
        {
            Array.Resize(ref _pieces, Math.Max(needed, _pieces.Length * 2));
        }

        int write = pieceCount;
        for (int i = chunks - 1; i >= 0; i--)
        {
            Chunk chunk = _pieces[i];
            int end = chunk.Start + chunk.Length;
            int first = chunk.Start / pieceRows;
            for (int block = (end - 1) / pieceRows; block >= first; block--)
            {
                int start = Math.Max(chunk.Start, block * pieceRows);
                int stop = Math.Min(end, (block + 1) * pieceRows);
                _pieces[--write] = new Chunk(chunk.Archetype, start, stop - start);
            }
        }

        return pieceCount;
    }

    private sealed class ChunkWork<TCallback> : IQueryWork
        where TCallback : struct, IForEachChunk
    {
        public TCallback Callback;

        public Chunk[] Pieces = [];

        public void RunPiece(int piece)
        {
            // A copy per piece: threads never share the callback's fields.
            TCallback local = Callback;
            local.Execute(Pieces[piece]);
        }
    }
}
