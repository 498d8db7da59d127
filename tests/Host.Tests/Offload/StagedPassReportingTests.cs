using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SimHost.Host.Ecs;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Tests.Host.Workers;

namespace SimHost.Tests.Host.Offload;

/// <summary>
/// A staged pass (<c>--workers 0</c> over a snapshot) reports what the snapshot path reports: a failed piece is logged
/// in the frame's log scopes whichever thread ran it, and every piece running in the host is watched for the job
/// timeout, even beside other ranges in the host.
/// </summary>
public sealed class StagedPassReportingTests
{
    [TestCase(false)]
    [TestCase(true)]
    public async Task FailedPieces_AreLoggedInTheFramesLogScope(bool besideAnInProcessSystem)
    {
        // Two host threads: the pieces run on the world's threads, and beside an in-process system (which the frame's
        // thread runs) the pass itself runs on the thread pool.
        var logger = new ScopeRecordingLogger();
        var world = new World();
        var entities = OffloadTestSupport.CreateHeated(world, 20_000, rate: FailingHeatJob.FailOnRate);
        var builder = new SimulationBuilder()
            .WithJobs(JobCatalog.FromTypes([typeof(FailingHeatJob)]))
            .WithStorage(SimHost.Host.SharedStorage.StorageMode.Snapshot)
            .WithThreads(2)
            .WithExecutorRetries(0)
            .WithLogger(logger)
            .AddSystem("heat", s => s.Writes<Heat>().Reads<Rate>().Offload(FailingHeatJob.JobName));
        if (besideAnInProcessSystem)
        {
            builder.AddSystem("idle", s => s.Reads<Rate>().Run(_ => { }));
        }

        using var simulation = builder.Build(world);
        FrameStats stats;
        using (logger.BeginScope("frame 7"))
        {
            stats = await simulation.RunFrameAsync(0.1, 0);
        }

        Assert.Multiple(() =>
        {
            Assert.That(stats.RangesFailed, Is.GreaterThanOrEqualTo(2), "every piece failed");
            Assert.That(OffloadTestSupport.HeatOf(world, entities), Is.EqualTo(Enumerable.Range(0, entities.Length)), "nothing was committed");
            var failures = logger.Lines.Where(line => line.Message.Contains("failed", StringComparison.Ordinal)).Select(line => line.Scope).ToArray();
            Assert.That(failures, Has.Length.EqualTo(3), "the first failure, the first abandoned piece and the frame's sum");
            Assert.That(failures, Is.All.EqualTo("frame 7"));
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    public async Task AJobThatAlwaysFails_LogsThreeLinesAFrame_HoweverManyPiecesFail(int threads)
    {
        // 300,000 rows make dozens of pieces, each failing every attempt: the log still gets the first failure, the
        // first abandoned piece and one line that sums up the frame, every frame.
        var logger = new ScopeRecordingLogger();
        var world = new World();
        var entities = OffloadTestSupport.CreateHeated(world, 300_000, rate: FailingHeatJob.FailOnRate);
        using var simulation = FailingHeatSimulation(world, logger, threads, b => b.WithExecutorRetries(1));

        for (var frame = 0; frame < 2; frame++)
        {
            var before = logger.Lines.Count;
            var stats = await simulation.RunFrameAsync(0.1, frame);
            var lines = logger.Lines.Skip(before).Select(line => line.Message).Where(message => message.Contains("failed", StringComparison.Ordinal)).ToArray();
            var pieces = stats.RangesFailed;
            Assert.Multiple(() =>
            {
                Assert.That(pieces, Is.GreaterThan(10), "dozens of pieces failed");
                Assert.That(lines, Has.Length.EqualTo(3), $"frame {frame}: " + string.Join(" | ", lines));
                // Three attempts per piece: the first, one executor retry and the in-process fallback's.
                Assert.That(lines[^1], Does.Contain($"{3 * pieces} failed attempts over {pieces} pieces").And.Contain($"{pieces} pieces failed every retry"), $"frame {frame}");
                Assert.That(OffloadTestSupport.HeatOf(world, entities), Is.EqualTo(Enumerable.Range(0, entities.Length)), "nothing was committed");
            });
        }
    }

    [Test]
    public async Task AJobThatAlwaysFails_WithNoRetryAllowed_IsNotSaidToHaveFailedEveryRetry()
    {
        // The command line's --on-worker-failure fail: no executor retry, no in-process fallback, one run per piece.
        var logger = new ScopeRecordingLogger();
        var world = new World();
        var entities = OffloadTestSupport.CreateHeated(world, 300_000, rate: FailingHeatJob.FailOnRate);
        using var simulation = FailingHeatSimulation(world, logger, threads: 2, b => b.WithExecutorRetries(0).WithInProcessFallback(false));

        var stats = await simulation.RunFrameAsync(0.1, 0);

        var lines = logger.Lines.Select(line => line.Message).Where(message => message.Contains("failed", StringComparison.Ordinal)).ToArray();
        var pieces = stats.RangesFailed;
        Assert.Multiple(() =>
        {
            Assert.That(pieces, Is.GreaterThan(10), "dozens of pieces failed");
            Assert.That(lines, Has.Length.EqualTo(3), string.Join(" | ", lines));
            // The first failure and the first abandoned piece are logged by whichever thread counts them: in either order.
            Assert.That(lines.Count(l => l.Contains("failed and was not re-run (no retry and no in-process fallback are allowed)", StringComparison.Ordinal)), Is.EqualTo(1), "the first abandoned piece");
            Assert.That(lines[^1], Does.Contain($"{pieces} failed attempts over {pieces} pieces").And.Contain($"{pieces} pieces failed and were not re-run"), "the frame's sum");
            Assert.That(lines, Has.None.Contains("every retry"), "no retry was allowed");
            Assert.That(OffloadTestSupport.HeatOf(world, entities), Is.EqualTo(Enumerable.Range(0, entities.Length)), "nothing was committed");
        });
    }

    [Test]
    public async Task PiecesRunningBesideOtherRangesInTheHost_AreEachReportedOverdue()
    {
        // A Changed-filtered system runs staged on the world's two threads while an in-place system of the same level
        // runs its two ranges on the executor's two: four ranges in the host at once, each past the job timeout.
        var logger = new CollectingLogger(LogLevel.Warning);
        await using var pool = await WorkerPool.StartAsync(new WorkerPoolOptions { WorkerCount = 0, JobTimeout = TimeSpan.FromMilliseconds(50) });
        var world = new World();
        for (var i = 0; i < 1000; i++)
        {
            world.Create(new Heat(i), new Rate(1), new Spare(i));
        }

        using var simulation = new SimulationBuilder()
            .WithJobs(JobCatalog.FromTypes([typeof(OverdueHeatJob), typeof(OverdueSpareJob)]))
            .WithExecutor(pool)
            .WithThreads(2)
            .WithLogger(logger)
            .AddSystem("staged", s => s.Writes<Heat>().Reads<Rate>().Query(q => q.Changed<Rate>()).Offload(OverdueHeatJob.JobName))
            .AddSystem("in-place", s => s.Writes<Spare>().Reads<Rate>().Offload(OverdueSpareJob.JobName))
            .Build(world);
        OverdueRendezvous.Reset(ranges: 4, logger);

        var stats = await simulation.RunFrameAsync(0.1, 0);

        Assert.Multiple(() =>
        {
            Assert.That(stats.Failures.Values.Select(f => f.Message), Is.Empty, "the four ranges met");
            Assert.That(OverdueRendezvous.Warnings(logger), Has.Length.EqualTo(4), "one warning per range (hang guard: 30 s without the last)");
        });
    }

    /// <summary>The heat system offloaded to <see cref="FailingHeatJob"/> in the host, over a snapshot, with the failure policy <paramref name="policy"/> sets.</summary>
    private static SimulationRunner FailingHeatSimulation(World world, ScopeRecordingLogger logger, int threads, Func<SimulationBuilder, SimulationBuilder> policy) =>
        policy(new SimulationBuilder()
            .WithJobs(JobCatalog.FromTypes([typeof(FailingHeatJob)]))
            .WithStorage(SimHost.Host.SharedStorage.StorageMode.Snapshot)
            .WithThreads(threads)
            .WithLogger(logger))
            .AddSystem("heat", s => s.Writes<Heat>().Reads<Rate>().Offload(FailingHeatJob.JobName))
            .Build(world);
}

/// <summary>
/// Where the overdue jobs meet: each range waits until every one of them runs, then until every one was reported
/// overdue (or a generous hang guard passed), so all of them outlast the job timeout at the same time.
/// </summary>
internal static class OverdueRendezvous
{
    private static Barrier s_together = new(1);
    private static CollectingLogger s_logger = new();
    private static int s_ranges;

    /// <summary>Starts a run of <paramref name="ranges"/> ranges reported to <paramref name="logger"/>.</summary>
    public static void Reset(int ranges, CollectingLogger logger)
    {
        s_together.Dispose();
        s_together = new Barrier(ranges);
        s_logger = logger;
        s_ranges = ranges;
    }

    /// <summary>The overdue warnings <paramref name="logger"/> received.</summary>
    public static string[] Warnings(CollectingLogger logger) => [.. logger.Lines.Where(line => line.Contains("has run in the host for", StringComparison.Ordinal))];

    /// <summary>Meets the other ranges, then waits until every range was reported overdue.</summary>
    public static void Meet()
    {
        if (!s_together.SignalAndWait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"Hang guard: fewer than {s_ranges} ranges ran at the same time.");
        }

        var waited = Stopwatch.StartNew();
        while (Warnings(s_logger).Length < s_ranges && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(5);
        }
    }
}

/// <summary>Meets the other ranges (<see cref="OverdueRendezvous"/>); writes Heat, reads Rate.</summary>
public sealed class OverdueHeatJob : IJob
{
    /// <summary>The job's name.</summary>
    public const string JobName = "test.overdue-heat";

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Heat), typeof(Rate)];

    /// <inheritdoc/>
    public void Execute(JobContext context) => OverdueRendezvous.Meet();
}

/// <summary>Meets the other ranges (<see cref="OverdueRendezvous"/>); writes Spare, reads Rate.</summary>
public sealed class OverdueSpareJob : IJob
{
    /// <summary>The job's name.</summary>
    public const string JobName = "test.overdue-spare";

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Spare), typeof(Rate)];

    /// <inheritdoc/>
    public void Execute(JobContext context) => OverdueRendezvous.Meet();
}

/// <summary>Keeps every log line with the scopes it was written in ("outer/inner").</summary>
internal sealed class ScopeRecordingLogger : ILogger
{
    private readonly LoggerExternalScopeProvider _scopes = new();
    private readonly ConcurrentQueue<(string Scope, string Message)> _lines = new();

    public IReadOnlyList<(string Scope, string Message)> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _scopes.Push(state);

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var scope = new List<string>();
        _scopes.ForEachScope((value, names) => names.Add(value?.ToString() ?? "null"), scope);
        _lines.Enqueue((string.Join('/', scope), formatter(state, exception)));
    }
}
