using System.Runtime.ExceptionServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// A fixed set of threads that parallel queries (<see cref="Query.ParallelForEachChunk{TCallback}"/>) split their rows
/// over; the calling thread is one of them, so <see cref="ThreadCount"/> threads work and one fewer are started. A run
/// allocates nothing: the helpers wait on a semaphore between runs and take pieces of work from a shared counter.
/// </summary>
/// <remarks>
/// One run at a time: a run asked for while another is under way (from another thread, or a nested parallel query
/// inside a callback) runs on its calling thread alone instead of waiting, so it can neither deadlock nor oversubscribe
/// the cores. <see cref="Shared"/> (one thread per processor) serves every world that was not given its own set.
/// </remarks>
public sealed class QueryThreads : IDisposable
{
    private static readonly Lazy<QueryThreads> s_shared = new(() => new QueryThreads(Environment.ProcessorCount, isShared: true));

    private readonly Thread[] _helpers;
    private readonly SemaphoreSlim _start = new(0);
    private readonly ManualResetEventSlim _helpersDone = new(false);
    private readonly bool _isShared;
    private IQueryWork? _work;
    private int _pieceCount;
    private int _nextPiece;
    private int _helpersRunning;
    private int _isBusy;
    private ExceptionDispatchInfo? _failure;
    private volatile bool _isDisposed;

    /// <summary>Starts <paramref name="threadCount"/> - 1 background threads; the caller of a run is the last one.</summary>
    /// <param name="threadCount">The degree of parallelism, at least 1 (1 runs everything on the caller).</param>
    public QueryThreads(int threadCount)
        : this(threadCount, isShared: false)
    {
    }

    private QueryThreads(int threadCount, bool isShared)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        ThreadCount = threadCount;
        _isShared = isShared;
        _helpers = new Thread[threadCount - 1];

        // ManualResetEventSlim allocates its lock object the first time a Wait has to block, which could otherwise be
        // any later run (whenever a helper is first slower than the caller): one timed wait on the unset event now
        // allocates it here, so a warm run allocates nothing on the calling thread.
        _helpersDone.Wait(1);
        for (int i = 0; i < _helpers.Length; i++)
        {
            _helpers[i] = new Thread(HelperLoop) { IsBackground = true, Name = $"SimHost query thread {i + 1}" };
            _helpers[i].Start();
        }
    }

    /// <summary>One thread per processor, started on first use and kept for the life of the process.</summary>
    public static QueryThreads Shared => s_shared.Value;

    /// <summary>How many threads a run uses, the caller's included.</summary>
    public int ThreadCount { get; }

    /// <summary>Stops the helper threads once they finish the run under way; <see cref="Shared"/> ignores this.</summary>
    public void Dispose()
    {
        if (_isShared || _isDisposed)
        {
            return;
        }

        _isDisposed = true;
        if (_helpers.Length > 0)
        {
            _start.Release(_helpers.Length);
        }

        foreach (Thread helper in _helpers)
        {
            helper.Join();
        }

        _start.Dispose();
        _helpersDone.Dispose();
    }

    /// <summary>
    /// Runs pieces 0..<paramref name="pieceCount"/> of <paramref name="work"/> on every thread, each piece exactly
    /// once, and returns when all are done. The first exception a piece throws is rethrown here once every thread
    /// has stopped; pieces not yet started are then skipped.
    /// </summary>
    internal void Run(IQueryWork work, int pieceCount)
    {
        if (pieceCount <= 0)
        {
            return;
        }

        if (pieceCount == 1 || _helpers.Length == 0 || _isDisposed || Interlocked.CompareExchange(ref _isBusy, 1, 0) != 0)
        {
            for (int piece = 0; piece < pieceCount; piece++)
            {
                work.RunPiece(piece);
            }

            return;
        }

        try
        {
            _work = work;
            _pieceCount = pieceCount;
            _nextPiece = 0;
            _failure = null;
            int helpers = Math.Min(_helpers.Length, pieceCount - 1);
            _helpersRunning = helpers;
            _helpersDone.Reset();
            _start.Release(helpers);
            RunPieces();
            _helpersDone.Wait();
            _work = null;
            _failure?.Throw();
        }
        finally
        {
            Volatile.Write(ref _isBusy, 0);
        }
    }

    private void HelperLoop()
    {
        while (true)
        {
            _start.Wait();
            if (_isDisposed)
            {
                return;
            }

            RunPieces();
            if (Interlocked.Decrement(ref _helpersRunning) == 0)
            {
                _helpersDone.Set();
            }
        }
    }

    // Pieces are taken one at a time from a shared counter, so a thread that was slow to wake simply takes fewer.
    private void RunPieces()
    {
        IQueryWork work = _work!;
        int count = _pieceCount;
        while (true)
        {
            int piece = Interlocked.Increment(ref _nextPiece) - 1;
            if (piece >= count)
            {
                return;
            }

            try
            {
                work.RunPiece(piece);
            }
#pragma warning disable CA1031 // Rethrown on the calling thread once every thread has stopped.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(exception), null);
                Volatile.Write(ref _nextPiece, count);
                return;
            }
        }
    }
}

/// <summary>The work of one parallel run, cut into pieces any thread may run.</summary>
internal interface IQueryWork
{
    /// <summary>Runs piece <paramref name="piece"/>; every piece runs exactly once per run.</summary>
    void RunPiece(int piece);
}
