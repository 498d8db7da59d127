using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using static SimHost.Tests.Host.Offload.OffloadTestSupport;

namespace SimHost.Tests.Host.Offload;

/// <summary>
/// The in-process pass that copies, runs and commits piece by piece (<c>--workers 0</c> over snapshot storage) writes
/// what the snapshot path writes: the same values, change ticks and counts, on one thread or several; a failing piece
/// is retried and, failing every time, left whole; its staging segments go with it.
/// </summary>
public sealed class StagedInProcessPassTests
{
    // Three archetypes of odd sizes, none a multiple of 64: pieces cross archetype borders.
    private static readonly int[] s_archetypeRows = [7_001, 3_333, 10_003];

    private RunDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task StagedFrames_CommitWhatTheSnapshotPathCommits(int threads)
    {
        var expected = await RunFramesAsync(threads: 1, staged: false);
        var actual = await RunFramesAsync(threads, staged: true);

        Assert.Multiple(() =>
        {
            Assert.That(actual.Pieces, Is.GreaterThanOrEqualTo(Math.Max(threads, 3)), "the rows were cut into pieces, some across archetype borders");
            Assert.That(actual.Heat, Is.EqualTo(expected.Heat), "committed values");
            Assert.That(actual.Ticks, Is.EqualTo(expected.Ticks), "change ticks of every row");
            Assert.That(actual.LastChangedTicks, Is.EqualTo(expected.LastChangedTicks), "each column's last changed tick");
            Assert.That(actual.Deferred, Is.EqualTo(expected.Deferred), "which columns were stamped lazily");
            Assert.That(actual.Results.Select(r => (r.RowsSnapshotted, r.RowsCommitted, r.RowsSkipped, r.RangesFailed)), Is.EqualTo(expected.Results.Select(r => (r.RowsSnapshotted, r.RowsCommitted, r.RowsSkipped, r.RangesFailed))));
        });
        Assert.That(actual.Deferred, Does.Contain(true).And.Contain(false), "the test covers both a whole column and a partly flagged one");
    }

    [Test]
    public async Task APieceThatFailsEveryTime_IsLeftWhole_AndTheOthersCommit()
    {
        var world = new World();
        var entities = CreateHeated(world, 20_000);
        world.Set(entities[12_345], new Rate(FailingHeatJob.FailOnRate));
        var executor = new InProcessRangeExecutor(FailingCatalog);
        using var pass = new StagedInProcessPass(NewSnapshot(world, _directory), executor, NullLogger.Instance);
        var coordinator = new OffloadCoordinator(FailingHeatJob.JobName, default, new SnapshotStorage(NewSnapshot(world, _directory, name: "unused")), executor, executor) { Staged = pass, MaxExecutorRetries = 2 };

        var result = await coordinator.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);

        var heat = HeatOf(world, entities);
        var untouched = Enumerable.Range(0, entities.Length).Where(i => heat[i] == i).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(result.RangesFailed, Is.EqualTo(1));
            Assert.That(result.RangesRetried, Is.EqualTo(3), "two executor retries, then the fallback, as a range gets");
            Assert.That(result.RangesAbandoned, Is.EqualTo(1));
            Assert.That(untouched, Does.Contain(12_345));
            Assert.That(untouched[^1] - untouched[0] + 1, Is.EqualTo(untouched.Length), "the piece's rows are one block");
            Assert.That(untouched[0] % 64, Is.Zero, "a piece starts on a changed-bitset word");
            Assert.That(untouched, Has.Length.LessThan(entities.Length / 2), "only the failing piece kept its values");
            Assert.That(result.RowsCommitted, Is.EqualTo(entities.Length - untouched.Length));
            Assert.That(coordinator.LastFailure, Does.StartWith($"the host: Job '{FailingHeatJob.JobName}' threw InvalidOperationException"));
        });
    }

    [Test]
    public async Task APieceThatFailsOnce_IsRetriedFromTheWorld_AndCommitsOnce()
    {
        var world = new World();
        var entities = CreateHeated(world, 5_000, rate: 2);
        world.Set(entities[777], new Rate(FailingHeatJob.FailOnceOnRate));
        var executor = new InProcessRangeExecutor(FailingCatalog);
        using var pass = new StagedInProcessPass(NewSnapshot(world, _directory), executor, NullLogger.Instance);
        var coordinator = new OffloadCoordinator(FailingHeatJob.JobName, default, new SnapshotStorage(NewSnapshot(world, _directory, name: "unused")), executor, executor) { Staged = pass };
        FailingHeatJob.ArmFailOnce();

        var result = await coordinator.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);

        var expected = Enumerable.Range(0, entities.Length).Select(i => i + (i == 777 ? FailingHeatJob.FailOnceOnRate : 2));
        Assert.Multiple(() =>
        {
            Assert.That(result.RangesFailed, Is.EqualTo(1));
            Assert.That(result.RangesRetried, Is.EqualTo(1));
            Assert.That(result.RangesAbandoned, Is.Zero);
            Assert.That(HeatOf(world, entities), Is.EqualTo(expected), "the failed run's scribbles were copied over, and the retry's result committed once");
        });
    }

    [Test]
    public async Task APassThatThrows_StampsOnlyTheRowsItCommitted()
    {
        // One thread: pieces 0, 1 and 2 in turn. The first frame commits every row; in the second, piece 1 fails and
        // the log provider throws on its warning, so the pass stops there: piece 2 never runs and must keep its ticks.
        var world = new World();
        var entities = CreateHeated(world, 20_000);
        var logger = new ThrowingLogger();
        var executor = new InProcessRangeExecutor(FailingCatalog);
        using var pass = new StagedInProcessPass(NewSnapshot(world, _directory), executor, logger);
        var coordinator = new OffloadCoordinator(FailingHeatJob.JobName, default, new SnapshotStorage(NewSnapshot(world, _directory, name: "unused")), executor, executor) { Staged = pass };
        world.AdvanceTick();
        await coordinator.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);
        var firstTick = TicksOf(world, entities)[^1];
        world.Set(entities[10_000], new Rate(FailingHeatJob.FailOnRate));
        world.AdvanceTick();
        logger.IsThrowing = true;

        Assert.ThrowsAsync<InvalidOperationException>(async () => await coordinator.RunAsync(HeatQuery(world), 2, 0.1, 0.1, CancellationToken.None));

        var heat = HeatOf(world, entities);
        var ticks = TicksOf(world, entities);
        Assert.Multiple(() =>
        {
            Assert.That(pass.PieceCount, Is.EqualTo(3));
            Assert.That(heat[..8192], Is.EqualTo(Enumerable.Range(2, 8192)), "piece 0 committed");
            Assert.That(ticks[..8192], Is.All.GreaterThan(firstTick), "piece 0 stamped");
            Assert.That(heat[16_384..], Is.EqualTo(Enumerable.Range(16_385, 20_000 - 16_384)), "piece 2 never ran");
            Assert.That(ticks[8192..], Is.All.EqualTo(firstTick), "pieces 1 and 2 committed nothing this frame");
        });
    }

    [Test]
    public async Task TwoThreads_RunTwoPiecesAtTheSameTime_EachOnItsOwnJobInstance()
    {
        using var threads = new QueryThreads(2);
        var world = new World { Threads = threads };
        var entities = CreateHeated(world, 1000, rate: 3);
        var executor = new InProcessRangeExecutor(JobCatalog.FromTypes([typeof(RendezvousJob)]), threadCount: 2);
        using var pass = new StagedInProcessPass(NewSnapshot(world, _directory), executor, NullLogger.Instance);
        var coordinator = new OffloadCoordinator(RendezvousJob.JobName, default, new SnapshotStorage(NewSnapshot(world, _directory, name: "unused")), executor, executor) { Staged = pass };
        RendezvousJob.Reset(parties: 2);

        var result = await coordinator.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.RangesRun, Is.EqualTo(2), "a small system is still cut into one piece per thread");
            Assert.That(result.RangesFailed, Is.Zero, "each piece met the other at the rendezvous (a serial run would have timed out)");
            Assert.That(RendezvousJob.Instances, Is.EqualTo(2), "one job instance per thread");
            Assert.That(HeatOf(world, entities), Is.EqualTo(Enumerable.Range(0, 1000).Select(i => i + 3)));
        });
    }

    [Test]
    public async Task Dispose_DeletesTheStagingSegments()
    {
        var world = new World();
        CreateHeated(world, 3_000);
        var executor = new InProcessRangeExecutor(Catalog);
        var pass = new StagedInProcessPass(NewSnapshot(world, _directory, name: "staged"), executor, NullLogger.Instance);
        var coordinator = new OffloadCoordinator(HeatJob.JobName, default, new SnapshotStorage(NewSnapshot(world, _directory, name: "unused")), executor, executor) { Staged = pass };
        await coordinator.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);
        string[] Staging() => Directory.GetFiles(_directory.Path, "staged-staging*");
        Assert.That(Staging(), Is.Not.Empty, "the pass staged its pieces in a segment of the run directory");

        pass.Dispose();

        Assert.That(Staging(), Is.Empty);
    }

    private async Task<Outcome> RunFramesAsync(int threads, bool staged)
    {
        using var queryThreads = new QueryThreads(threads);
        var world = new World { Threads = queryThreads };
        var entities = new List<Entity>();
        for (var archetype = 0; archetype < s_archetypeRows.Length; archetype++)
        {
            for (var i = 0; i < s_archetypeRows[archetype]; i++)
            {
                // The first archetype changes on every row (a lazily stamped column); the others on some rows only.
                var rate = archetype == 0 || i % 3 != 0 ? 1 + (i % 5) : 0;
                var entity = world.Create(new Heat(entities.Count), new Rate(rate));
                if (archetype == 1)
                {
                    world.Add(entity, new Marked(1));
                }
                else if (archetype == 2)
                {
                    world.Add(entity, new Spare(7));
                }

                entities.Add(entity);
            }
        }

        var executor = new InProcessRangeExecutor(Catalog, threads);
        var snapshot = NewSnapshot(world, _directory, name: $"heat-{threads}-{staged}");
        using var pass = staged ? new StagedInProcessPass(snapshot, executor, NullLogger.Instance) : null;
        var coordinator = new OffloadCoordinator(HeatJob.JobName, default, new SnapshotStorage(snapshot), executor, executor) { Staged = pass };
        var results = new List<OffloadResult>();
        for (var frame = 1; frame <= 3; frame++)
        {
            world.AdvanceTick();
            results.Add(await coordinator.RunAsync(HeatQuery(world), (ulong)frame, 0.1, frame * 0.1, CancellationToken.None));
        }

        var columns = world.Archetypes.ToArray().Where(a => a.Has(ComponentType.Of<Heat>().Id)).Select(a => a.GetColumn(ComponentType.Of<Heat>().Id)).ToArray();
        var deferred = columns.Select(c => c.HasDeferredStamp).ToArray();
        var lastChanged = columns.Select(c => c.LastChangedTick).ToArray();
        var ticks = entities.Select(e => world.Archetypes[world.RecordOf(e).ArchetypeId].GetChangedTicks(ComponentType.Of<Heat>().Id)[world.RecordOf(e).Row]).ToArray();
        return new Outcome(HeatOf(world, [.. entities]), ticks, lastChanged, deferred, results, pass?.PieceCount ?? 0);
    }

    private static uint[] TicksOf(World world, Entity[] entities) =>
        [.. entities.Select(e => world.Archetypes[world.RecordOf(e).ArchetypeId].GetChangedTicks(ComponentType.Of<Heat>().Id)[world.RecordOf(e).Row])];

    private static JobCatalog FailingCatalog { get; } = JobCatalog.FromTypes([typeof(FailingHeatJob)]);

    private sealed record Outcome(int[] Heat, uint[] Ticks, uint[] LastChangedTicks, bool[] Deferred, List<OffloadResult> Results, int Pieces);
}

/// <summary>A log provider that fails, once told to: its Log throws, as Microsoft.Extensions.Logging's does when one of its providers throws.</summary>
internal sealed class ThrowingLogger : ILogger
{
    /// <summary>Whether Log throws.</summary>
    public bool IsThrowing { get; set; }

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsThrowing)
        {
            throw new InvalidOperationException("The log provider failed.");
        }
    }
}

/// <summary>A component that puts entities in a third archetype.</summary>
public record struct Spare(int Value);

/// <summary>The heat job, throwing on a range holding a row of rate <see cref="FailOnRate"/> (always) or <see cref="FailOnceOnRate"/> (once).</summary>
public sealed class FailingHeatJob : IJob
{
    /// <summary>The job's name.</summary>
    public const string JobName = "test.heat-failing";

    /// <summary>A rate whose range always fails, after scribbling over its rows.</summary>
    public const int FailOnRate = 99;

    /// <summary>A rate whose range fails the first time after <see cref="ArmFailOnce"/>, after scribbling over its rows.</summary>
    public const int FailOnceOnRate = 98;

    private static int s_failOnce;

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Heat), typeof(Rate)];

    /// <summary>Makes the next range holding a row of rate <see cref="FailOnceOnRate"/> fail.</summary>
    public static void ArmFailOnce() => Volatile.Write(ref s_failOnce, 1);

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        var heat = context.Write<Heat>();
        var rate = context.Read<Rate>();
        var changed = context.Changed<Heat>();
        var fail = false;
        for (var row = 0; row < heat.Length; row++)
        {
            heat[row] = new Heat(heat[row].Value + rate[row].Value);
            changed.Set(row);
            fail |= rate[row].Value == FailOnRate || (rate[row].Value == FailOnceOnRate && Interlocked.Exchange(ref s_failOnce, 0) == 1);
        }

        if (fail)
        {
            throw new InvalidOperationException("This range holds the failing row.");
        }
    }
}
