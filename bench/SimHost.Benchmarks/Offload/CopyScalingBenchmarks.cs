using BenchmarkDotNet.Attributes;
using SimHost.Host.Ecs;
using SimHost.Layout.Jobs;

namespace SimHost.Benchmarks.Offload;

/// <summary>
/// The machine's own answer, at the time of the run, to "do two threads copy memory twice as fast as one": the bytes a
/// snapshot frame of <see cref="InProcessFrameBenchmarks"/> copies in (Position and Velocity of every particle, 24 bytes
/// a row), copied with the same streaming stores and cut into the same 8 pieces on the same kind of host threads
/// (<see cref="QueryThreads"/>), on one thread (the baseline) and on two.
/// </summary>
/// <remarks>
/// A snapshot frame is three passes like this one (copy in, the job, commit back), so its two-thread ratio cannot be
/// better than this one's by much; read the two together. On this VM the ratio moved between 0.5 and 1.0 from one run
/// to the next, with the same build: the memory bandwidth two vCPUs get depends on their neighbours.
/// </remarks>
public class CopyScalingBenchmarks
{
    private const int BytesPerRow = 24;
    private const int Pieces = 8;

    private readonly List<IDisposable> _owned = [];
    private PieceCopy? _oneThread;
    private PieceCopy? _twoThreads;

    /// <summary>Rows (particles) whose bytes are copied.</summary>
    [Params(1_000_000)]
    public int Count { get; set; }

    /// <summary>Source and destination buffers, written once so no page faults during the measurement.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var source = new byte[(long)Count * BytesPerRow];
        var destination = new byte[source.Length];
        source.AsSpan().Fill(0xA5);
        destination.AsSpan().Fill(0x5A);
        var one = new QueryThreads(1);
        var two = new QueryThreads(2);
        _owned.Add(one);
        _owned.Add(two);
        _oneThread = new PieceCopy(source, destination, one);
        _twoThreads = new PieceCopy(source, destination, two);
    }

    /// <summary>Stops the threads.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _owned.Clear();
    }

    /// <summary>The copy on one thread.</summary>
    [Benchmark(Baseline = true)]
    public void OneThreadCopy() => _oneThread!.Run();

    /// <summary>The same copy, its pieces shared by two threads.</summary>
    [Benchmark]
    public void TwoThreadCopy() => _twoThreads!.Run();

    private sealed class PieceCopy(byte[] source, byte[] destination, QueryThreads threads) : IQueryWork
    {
        public void Run() => threads.Run(this, Pieces);

        public void RunPiece(int piece)
        {
            var length = source.Length / Pieces;
            var start = piece * length;
            if (piece == Pieces - 1)
            {
                length = source.Length - start;
            }

            StreamingStores.Copy(source.AsSpan(start, length), destination.AsSpan(start, length));
        }
    }
}
