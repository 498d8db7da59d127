using BenchmarkDotNet.Attributes;
using SimHost.Benchmarks.Baselines;
using SimHost.Benchmarks.Jobs;
using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics.Components;

namespace SimHost.Benchmarks.Offload;

/// <summary>
/// The fixed cost of offloading: one range of an empty job on a pool of one worker (JobStart out, JobDone back,
/// through the pool's queue and the connection's sequence numbers), against a raw 16-byte named-pipe ping-pong with
/// a separate echo process in the same run. The ratio is what the protocol and pool add to the bare transport.
/// </summary>
public class RoundTripBenchmarks
{
    // One changed-bitset word: the smallest range a job gets.
    private const int Rows = JobRange.RowAlignment;

    private RunDirectory? _runDirectory;
    private PipePingPong? _pingPong;
    private WorkerPool? _pool;
    private SharedSegment? _segment;
    private RangeRequest? _request;
    private long _rangesFailed;

    /// <summary>Starts the echo process and connects to it.</summary>
    [GlobalSetup(Target = nameof(PipeRoundTrip))]
    public void SetupPingPong()
    {
        _runDirectory = RunDirectory.Create();
        _pingPong = PipePingPong.StartAsync(Path.Combine(_runDirectory.Path, "echo.pipe")).GetAwaiter().GetResult();
    }

    /// <summary>Starts one worker that knows the empty job, and a 64-row segment of positions for it.</summary>
    [GlobalSetup(Target = nameof(EmptyJobOnWorker))]
    public void SetupWorker()
    {
        _runDirectory = RunDirectory.Create();
        var options = new WorkerPoolOptions
        {
            WorkerCount = 1,
            PipeDirectory = _runDirectory.Path,
            JobAssemblies = [typeof(EmptyJob).Assembly.Location],
        };
        _pool = WorkerPool.StartAsync(options, Serilog.Core.Logger.None).GetAwaiter().GetResult();
        if (_pool.ParallelSlots != 1)
        {
            throw new InvalidOperationException("The worker did not start; there is no round trip to measure.");
        }

        var columns = new SnapshotColumns([ComponentType.Of<Position>()], []);
        _segment = SharedSegment.Create(_runDirectory.SegmentPath("roundtrip.seg"), SegmentLayoutPlanner.Plan(columns.Specs, Rows));
        _segment.RowCount = Rows;
        _request = new RangeRequest(EmptyJob.JobName, _segment, 1, new JobRange(0, Rows, columns.WritableColumns, 1, 1.0 / 60, 0, ReadOnlyMemory<byte>.Empty));
    }

    /// <summary>Stops the echo process or the worker and removes the run directory.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        if (_rangesFailed > 0)
        {
            Console.WriteLine($"// WARNING {nameof(RoundTripBenchmarks)}: {_rangesFailed} empty-job ranges failed while measuring.");
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

    /// <summary>A 16-byte frame to the echo process and back.</summary>
    /// <returns>A task that completes when the pong is read.</returns>
    [Benchmark(Baseline = true)]
    public ValueTask PipeRoundTrip() => _pingPong!.RoundTripAsync();

    /// <summary>One 64-row range of the empty job on the pool's only worker.</summary>
    /// <returns>Whether the range succeeded.</returns>
    [Benchmark]
    public async ValueTask<bool> EmptyJobOnWorker()
    {
        var outcome = await _pool!.RunAsync(_request!, CancellationToken.None).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            _rangesFailed++;
        }

        return outcome.Succeeded;
    }
}
