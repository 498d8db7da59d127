using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using SimHost.Benchmarks.Baselines;
using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;

namespace SimHost.Benchmarks.Offload;

/// <summary>
/// The snapshot (world columns into the shared segment) and the commit (every row flagged, back into the world) of
/// Position and Velocity, against one plain block copy of the same bytes: 24 bytes per entity each way, 48 in all.
/// The ratio's inverse is the throughput against memcpy (target: snapshot plus commit at least 60%, ratio ≤ 1.67).
/// </summary>
/// <remarks>
/// <see cref="SnapshotAndCommit"/> also sets every changed bit between the two, as a job that changed everything
/// would (two words per 64 rows, under 1% of the bytes). The snapshot additionally copies the 8-byte entity handles
/// and the commit stamps change ticks; both are part of the real cost, so they stay in. <see cref="Threads"/> is the
/// world's thread count: with 2 the copies are cut into pieces that both threads copy (the baseline stays one
/// thread's memcpy, so the 2-thread ratios against the 1-thread ones are the copies' scaling). <see cref="Ranges"/>
/// commits the rows as one range per segment or as two, as a frame split over two workers or threads does.
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "BenchmarkDotNet disposes them in [GlobalCleanup]; it never calls Dispose.")]
public class SnapshotCommitBenchmarks
{
    private const int BytesPerEntityEachWay = 24;

    private MemoryCopyBaseline? _memoryCopy;
    private RunDirectory? _runDirectory;
    private OffloadSegments? _segments;
    private Snapshot? _snapshot;
    private Query? _query;
    private JobRange[] _ranges = [];
    private QueryThreads? _threads;
    private ulong _frame;

    /// <summary>The number of entities snapshotted and committed per invocation.</summary>
    [Params(1_000_000)]
    public int Count { get; set; }

    /// <summary>The world's threads (<see cref="World.Threads"/>), which the snapshot copy and the commit split over.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The ranges the commit is given: 1 per segment, or the rows split for 2 slots.</summary>
    [Params(1, 2)]
    public int Ranges { get; set; }

    /// <summary>Source and destination buffers of 48 bytes per entity.</summary>
    [GlobalSetup(Target = nameof(MemoryCopy))]
    public void SetupMemoryCopy() => _memoryCopy = new MemoryCopyBaseline(Count, 2 * BytesPerEntityEachWay);

    /// <summary>A world of particles and a snapshot of both components, taken once so the segment files exist.</summary>
    [GlobalSetup(Targets = [nameof(SnapshotAndCommit), nameof(SnapshotOnly), nameof(CommitOnly)])]
    public void SetupSnapshot()
    {
        _threads = new QueryThreads(Threads);
        var world = new World { Threads = _threads };
        ParticlesModule.Seed(world, Count, 42, PhysicsParameters.Default);
        _query = world.Query().All<Position, Velocity>();
        var columns = new SnapshotColumns([ComponentType.Of<Position>(), ComponentType.Of<Velocity>()], []);
        _runDirectory = RunDirectory.Create();
        _segments = new OffloadSegments("bench", columns, _runDirectory, SegmentLimits.Default);
        _snapshot = new Snapshot(world, _segments);
        _frame = 0;
        SnapshotWriter.Write(_query, _snapshot, _frame++);

        // The rows of each segment in as many ranges as a job split for that many slots would be.
        var segmentCount = _segments.Segments.Length;
        var storage = new SnapshotStorage(_snapshot);
        var segments = new JobRange[segmentCount];
        for (var i = 0; i < segmentCount; i++)
        {
            segments[i] = storage.WholeSegment(i, new JobRange());
        }

        var ranges = new List<JobRange>();
        RangeSplitter.Split(segments, Ranges, ranges);
        _ranges = [.. ranges];

        FlagEveryRow();
    }

    /// <summary>Deletes the segment files and the run directory.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _segments?.Dispose();
        _segments = null;
        _runDirectory?.Dispose();
        _runDirectory = null;
        _threads?.Dispose();
        _threads = null;
        _memoryCopy = null;
    }

    /// <summary>One block copy of 48 bytes per entity.</summary>
    [Benchmark(Baseline = true)]
    public void MemoryCopy() => _memoryCopy!.Copy();

    /// <summary>Snapshot, every row flagged, commit: one offloaded frame's data movement.</summary>
    /// <returns>The rows committed.</returns>
    [Benchmark]
    public int SnapshotAndCommit()
    {
        SnapshotWriter.Write(_query!, _snapshot!, _frame++);
        FlagEveryRow();
        return CommitWriter.Commit(_snapshot!, _ranges).RowsCommitted;
    }

    /// <summary>The snapshot alone (24 bytes per entity one way, plus handles).</summary>
    /// <returns>The rows copied.</returns>
    [Benchmark]
    public int SnapshotOnly() => SnapshotWriter.Write(_query!, _snapshot!, _frame++);

    /// <summary>The commit alone of a snapshot with every row flagged (commit leaves the flags as they are).</summary>
    /// <returns>The rows committed.</returns>
    [Benchmark]
    public int CommitOnly() => CommitWriter.Commit(_snapshot!, _ranges).RowsCommitted;

    private void FlagEveryRow()
    {
        var columns = _snapshot!.Columns;
        var segments = _segments!.Segments;
        for (var i = 0; i < segments.Length; i++)
        {
            var words = SegmentFormat.ChangedWordCount(_snapshot.RowsPerSegment[i]);
            for (var column = 0; column < columns.WrittenCount; column++)
            {
                // Bits past the last row stay clear, as a job's would: a partial last word is not a full one.
                var changed = segments[i].ChangedWords(column)[..words];
                changed.Fill(ulong.MaxValue);
                var tail = _snapshot.RowsPerSegment[i] % SegmentFormat.RowsPerChangedWord;
                if (tail != 0)
                {
                    changed[^1] = (1UL << tail) - 1;
                }
            }
        }
    }
}
