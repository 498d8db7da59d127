using BenchmarkDotNet.Attributes;
using SimHost.Benchmarks.Baselines;
using SimHost.Benchmarks.Configuration;
using SimHost.Benchmarks.Jobs;
using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics.Components;

namespace SimHost.Benchmarks.Offload;

/// <summary>
/// The fast signal path's target (docs/signals.md): one empty-job range on a pool of one worker through the
/// shared-memory mailbox, for a sweep of spin counts, against the same range over the pipe path and against the raw
/// 16-byte pipe ping-pong, all in the same run.
/// </summary>
[MedianColumn]
public class MailboxRoundTripBenchmarks
{
    // One changed-bitset word: the smallest range a job gets.
    private const int Rows = JobRange.RowAlignment;

    private RunDirectory? _runDirectory;
    private PipePingPong? _pingPong;
    private WorkerPool? _pool;
    private SharedSegment? _segment;
    private JobRange _range;
    private long _rangesFailed;

    /// <summary>The mailbox spin count; -1 sends JobStart over the pipe path instead.</summary>
    [ParamsSource(nameof(Spins))]
    public int MailboxSpin { get; set; }

    /// <summary>The spin counts of this run's mode.</summary>
    public static IEnumerable<int> Spins => SuiteParameters.MailboxSpins;

    /// <summary>Starts the echo process and connects to it.</summary>
    [GlobalSetup(Target = nameof(PipePingPongRoundTrip))]
    public void SetupPingPong()
    {
        _runDirectory = RunDirectory.Create();
        _pingPong = PipePingPong.StartAsync(Path.Combine(_runDirectory.Path, "echo.pipe")).GetAwaiter().GetResult();
    }

    /// <summary>Starts one worker on the chosen signal path, and a 64-row segment of positions for the empty job.</summary>
    [GlobalSetup(Target = nameof(EmptyJobRoundTrip))]
    public void SetupWorker()
    {
        _runDirectory = RunDirectory.Create();
        var options = new WorkerPoolOptions
        {
            WorkerCount = 1,
            PipeDirectory = _runDirectory.Path,
            JobAssemblies = [typeof(EmptyJob).Assembly.Location],
            SignalPath = MailboxSpin < 0 ? SignalPath.Pipe : SignalPath.Mailbox,
            ReplyIdle = WorkerPoolOptions.DefaultReplyIdle with { SpinCount = Math.Max(0, MailboxSpin) },
            WorkerIdle = WorkerPoolOptions.DefaultWorkerIdle with { SpinCount = Math.Max(0, MailboxSpin) },
        };
        _pool = WorkerPool.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).GetAwaiter().GetResult();
        if (_pool.ParallelSlots != 1)
        {
            throw new InvalidOperationException("The worker did not start; there is no round trip to measure.");
        }

        var columns = new SnapshotColumns([ComponentType.Of<Position>()], []);
        _segment = SharedSegment.Create(_runDirectory.SegmentPath("mailbox-roundtrip.seg"), SegmentLayoutPlanner.Plan(columns.Specs, Rows));
        _segment.RowCount = Rows;
        _range = new JobRange
        {
            JobName = EmptyJob.JobName,
            SegmentPath = _segment.Path,
            SegmentGeneration = 1,
            RowCount = Rows,
            WritableColumns = columns.WritableColumns,
            FrameId = 1,
            DeltaTime = 1.0 / 60,
        };
    }

    /// <summary>Stops the echo process or the worker and removes the run directory.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        if (_rangesFailed > 0)
        {
            Console.WriteLine($"// WARNING {nameof(MailboxRoundTripBenchmarks)}: {_rangesFailed} empty-job ranges failed while measuring.");
        }

        _rangesFailed = 0;
        _pingPong?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _pingPong = null;
        _pool?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _pool = null;
        _segment?.Dispose();
        _segment = null;
        _runDirectory?.Dispose();
        _runDirectory = null;
    }

    /// <summary>A 16-byte frame to the echo process and back: the transport floor.</summary>
    /// <returns>A task that completes when the pong is read.</returns>
    [Benchmark(Baseline = true)]
    public ValueTask PipePingPongRoundTrip() => _pingPong!.RoundTripAsync();

    /// <summary>One 64-row range of the empty job on the pool's only worker, through the chosen signal path.</summary>
    /// <returns>Whether the range succeeded.</returns>
    [Benchmark]
    public async ValueTask<bool> EmptyJobRoundTrip()
    {
        var outcome = await _pool!.RunAsync(_range, mayBlockCaller: false, CancellationToken.None).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            _rangesFailed++;
        }

        return outcome.Succeeded;
    }
}
