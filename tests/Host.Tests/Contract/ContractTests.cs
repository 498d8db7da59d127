using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SimHost.Host.Offload;
using SimHost.Host.SharedStorage;
using SimHost.Layout.Jobs;
using SimHost.Physics.Components;
using SimHost.Tests.Host.Workers;
using SimHost.Tests.Jobs.Contract;

namespace SimHost.Tests.Host.Contract;

/// <summary>
/// The contract of docs/contract.md, held by every executor × storage mode × ticks per frame: each case runs the same
/// job code and compares the whole world (every live entity's component bits), what a Changed filter saw each frame
/// and which frames failed with the in-process snapshot run, byte for byte; and checks the case's promise directly.
/// </summary>
[TestFixture(ContractExecutor.InProcess, StorageMode.Snapshot, 1)]
[TestFixture(ContractExecutor.InProcess, StorageMode.Shared, 1)]
[TestFixture(ContractExecutor.InProcessTwoThreads, StorageMode.Snapshot, 1)]
[TestFixture(ContractExecutor.InProcessTwoThreads, StorageMode.Shared, 1)]
[TestFixture(ContractExecutor.OneWorker, StorageMode.Snapshot, 1)]
[TestFixture(ContractExecutor.OneWorker, StorageMode.Shared, 1)]
[TestFixture(ContractExecutor.TwoWorkers, StorageMode.Snapshot, 1)]
[TestFixture(ContractExecutor.TwoWorkers, StorageMode.Shared, 1)]
[TestFixture(ContractExecutor.InProcess, StorageMode.Snapshot, 3)]
[TestFixture(ContractExecutor.InProcess, StorageMode.Shared, 3)]
[TestFixture(ContractExecutor.InProcessTwoThreads, StorageMode.Snapshot, 3)]
[TestFixture(ContractExecutor.InProcessTwoThreads, StorageMode.Shared, 3)]
[TestFixture(ContractExecutor.OneWorker, StorageMode.Snapshot, 3)]
[TestFixture(ContractExecutor.OneWorker, StorageMode.Shared, 3)]
[TestFixture(ContractExecutor.TwoWorkers, StorageMode.Snapshot, 3)]
[TestFixture(ContractExecutor.TwoWorkers, StorageMode.Shared, 3)]
public sealed class ContractTests(ContractExecutor executor, StorageMode storage, int ticks)
{
    private static readonly ILogger s_silent = NullLogger.Instance;
    private static readonly Dictionary<(ContractCase, int, bool), string> s_references = [];
    private static JobCatalog? s_catalog;

    private WorkerTestEnvironment? _environment;

    private static JobCatalog Catalog => s_catalog ??= ContractWorld.LoadCatalog();

    [SetUp]
    public void SetUp() => _environment = new WorkerTestEnvironment();

    [TearDown]
    public async Task TearDown()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
    }

    [Test]
    public async Task UnflaggedWrites_AreDiscarded_FlaggedOnesCommitted()
    {
        var run = await RunAndCompareAsync(ContractCase.FlagSubset);

        Assert.Multiple(() =>
        {
            Assert.That(run.FrameFailed, Has.None.True);
            AssertNoScribble(run);

            // A flagged row moved by its velocity every tick; an unflagged one kept the world's value. (Entities 72 and
            // 73 are never destroyed or stripped by the churn.)
            Assert.That(run.World.Get<Position>(run.Initial[72]).X, Is.EqualTo(72 + (ContractWorld.Frames * ticks * ((72 % 7) - 3) / 64f)));
            Assert.That(run.World.Get<Position>(run.Initial[73]).X, Is.EqualTo(73f));
        });
    }

    [Test]
    public async Task SharedStorage_DoesNotCommitUnflaggedRows_WhenMostRowsAreFlagged()
    {
        // Most rows flagged: shared storage puts the live values of the unflagged rows back before it swaps.
        var run = await RunAndCompareAsync(ContractCase.FlagMost);

        Assert.Multiple(() =>
        {
            AssertNoScribble(run);
            Assert.That(run.World.Get<Position>(run.Initial[72]).X, Is.EqualTo(72 + (ContractWorld.Frames * ticks * ((72 % 7) - 3) / 64f)), "flagged");
            Assert.That(run.World.Get<Position>(run.Initial[73]).X, Is.EqualTo(73f), "unflagged");
        });
    }

    [Test]
    public async Task SharedStorage_DoesNotCommitTheOneUnflaggedRow()
    {
        var run = await RunAndCompareAsync(ContractCase.FlagAllButOne);

        Assert.Multiple(() =>
        {
            AssertNoScribble(run);
            Assert.That(run.World.Get<Position>(run.Initial[ContractWorld.OddOneOut]).X, Is.EqualTo((float)ContractWorld.OddOneOut), "the one unflagged row");
            Assert.That(run.World.Get<Position>(run.Initial[106]).X, Is.EqualTo(106 + (ContractWorld.Frames * ticks * ((106 % 7) - 3) / 64f)), "a flagged row");
        });
    }

    [Test]
    public async Task ChangeFilters_SeeExactlyTheFlaggedRows()
    {
        var run = await RunAndCompareAsync(ContractCase.FlagSubset, churn: false);

        // Without churn, the observer sees the job's flagged rows and the heater's rows, nothing else.
        for (var frame = 1; frame < ContractWorld.Frames; frame++)
        {
            var expected = run.Initial
                .Where(e => ContractRules.IsInSubset(new Velocity(0, e.Index % 9, 0)) || e.Index % ContractWorld.HeaterPeriod == frame % ContractWorld.HeaterPeriod)
                .ToArray();
            Assert.That(run.ObservedPerFrame[frame], Is.EqualTo(expected), $"frame {frame}");
        }
    }

    [Test]
    public async Task EveryFlaggedRow_IsCommitted()
    {
        var run = await RunAndCompareAsync(ContractCase.FlagAll);

        var entity = run.Initial[106]; // never destroyed or stripped by the churn
        Assert.Multiple(() =>
        {
            Assert.That(run.FrameFailed, Has.None.True);
            Assert.That(run.World.Get<Position>(entity).X, Is.EqualTo(106 + (ContractWorld.Frames * ticks * ((106 % 7) - 3) / 64f)));
        });
    }

    [Test]
    public async Task AFlaggedUnchangedRow_IsCommittedAndSeenAsChanged()
    {
        var run = await RunAndCompareAsync(ContractCase.FlagUnchanged, churn: false);

        // Every row was flagged, so the observer sees every entity every frame, changed value or not.
        Assert.Multiple(() =>
        {
            Assert.That(run.FrameFailed, Has.None.True);
            for (var frame = 0; frame < ContractWorld.Frames; frame++)
            {
                Assert.That(run.ObservedPerFrame[frame], Has.Length.EqualTo(ContractWorld.InitialEntities), $"frame {frame}");
            }
        });
    }

    [Test]
    public async Task AWriteToAComponentTheSystemOnlyReads_IsRefused()
    {
        var run = await RunAndCompareAsync(ContractCase.WriteReadOnly);

        Assert.Multiple(() =>
        {
            Assert.That(run.FrameFailed, Has.All.True, "the system fails every frame");
            foreach (var entity in run.Initial.Where(e => run.World.IsAlive(e) && run.World.Has<Velocity>(e)))
            {
                Assert.That(run.World.Get<Velocity>(entity).X, Is.Not.EqualTo(ContractRules.Scribble), $"{entity}: a refused write reached the world");
            }
        });
    }

    [Test]
    public async Task AFailedRange_IsRerunFromTheUntouchedWorld()
    {
        var run = await RunAndCompareAsync(ContractCase.FailOnce);

        Assert.Multiple(() =>
        {
            Assert.That(run.FrameFailed, Has.None.True, "every range succeeded on its retry");
            AssertNoScribble(run);
            Assert.That(run.World.Get<Position>(run.Initial[106]).X, Is.EqualTo(106 + (ContractWorld.Frames * ticks * ((106 % 7) - 3) / 64f)), "moved every tick");
        });
    }

    [Test]
    public async Task ASystem_DoesNotSeeItsOwnWritesAsChanges()
    {
        var run = await RunAndCompareAsync(ContractCase.CountVisits);

        // The job adds `ticks` to Z of every row its Changed<Position> filter passes. It sees every row on its first
        // run, then only the rows the heater changed that frame: never the rows it wrote itself the frame before.
        Assert.Multiple(() =>
        {
            foreach (var entity in run.Initial.Where(e => run.World.IsAlive(e) && run.World.Has<Velocity>(e)))
            {
                var heated = Enumerable.Range(1, ContractWorld.Frames - 1).Count(f => entity.Index % ContractWorld.HeaterPeriod == f % ContractWorld.HeaterPeriod);
                Assert.That(run.World.Get<Position>(entity).Z, Is.EqualTo((1 + heated) * ticks), $"{entity} visits");
            }
        });
    }

    private static void AssertNoScribble(ContractWorld run)
    {
        foreach (var entity in run.Initial.Where(run.World.IsAlive))
        {
            var position = run.World.Get<Position>(entity);
            Assert.That(position.X, Is.Not.EqualTo(ContractRules.Scribble), $"{entity}: an unflagged or failed write reached the world");
        }
    }

    private async Task<ContractWorld> RunAndCompareAsync(ContractCase contractCase, bool churn = true)
    {
        var reference = await ReferenceAsync(contractCase, churn);
        IRangeExecutor? rangeExecutor = executor switch
        {
            ContractExecutor.InProcess or ContractExecutor.InProcessTwoThreads => null,
            ContractExecutor.OneWorker => await _environment!.StartPoolAsync(1),
            _ => await _environment!.StartPoolAsync(2),
        };

        // One host thread for the serial in-process run, two for the parallel one; workers keep the default.
        int? threads = executor switch
        {
            ContractExecutor.InProcess => 1,
            ContractExecutor.InProcessTwoThreads => 2,
            _ => null,
        };
        var run = await ContractWorld.RunAsync(contractCase, storage, ticks, rangeExecutor, Catalog, _environment!.Logger, churn, threads);
        Assert.That(run.Dump(), Is.EqualTo(reference), $"{executor}, {storage} storage, {ticks} ticks differs from the in-process snapshot run");
        return run;
    }

    // The in-process snapshot run of a case, computed once per case, ticks and churn.
    private async Task<string> ReferenceAsync(ContractCase contractCase, bool churn)
    {
        if (!s_references.TryGetValue((contractCase, ticks, churn), out var dump))
        {
            var reference = await ContractWorld.RunAsync(contractCase, StorageMode.Snapshot, ticks, executor: null, Catalog, s_silent, churn, threads: 1);
            dump = reference.Dump();
            s_references[(contractCase, ticks, churn)] = dump;
        }

        return dump;
    }
}
