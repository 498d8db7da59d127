using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using static SimHost.Tests.Host.Offload.OffloadTestSupport;

namespace SimHost.Tests.Host.Offload;

/// <summary>In-process ranges on several host threads: at the same time, one job instance each, same commit.</summary>
public sealed class InProcessRangeExecutorTests
{
    private RunDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public async Task TwoThreads_RunTheRangesOfAJobAtTheSameTime_EachOnItsOwnJobInstance()
    {
        var world = new World();
        var entities = CreateHeated(world, 1000, rate: 3);
        var executor = new InProcessRangeExecutor(RendezvousCatalog, threadCount: 2);
        var coordinator = new OffloadCoordinator(RendezvousJob.JobName, default, new SnapshotStorage(NewSnapshot(world, _directory)), executor, new InProcessRangeExecutor(Catalog));
        RendezvousJob.Reset(parties: 2);

        var result = await coordinator.RunAsync(HeatQuery(world), 1, 0.1, 0, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(executor.ParallelSlots, Is.EqualTo(2));
            Assert.That(result.RangesFailed, Is.Zero, "each range met the other at the rendezvous (a serial run would have timed out)");
            Assert.That(RendezvousJob.Instances, Is.EqualTo(2), "one job instance of the executor's own per range running at once");
            Assert.That(HeatOf(world, entities), Is.EqualTo(Enumerable.Range(0, 1000).Select(i => i + 3)));
        });
    }

    [Test]
    public async Task TwoThreads_CommitWhatOneThreadCommits_OverManyFrames()
    {
        int[] Run(int threads)
        {
            var world = new World();
            var entities = CreateHeated(world, 5_000, rate: 2);
            var directory = RunDirectory.Create(Path.GetTempPath());
            try
            {
                var coordinator = new OffloadCoordinator(HeatJob.JobName, default, new SnapshotStorage(NewSnapshot(world, directory, name: $"heat{threads}")), new InProcessRangeExecutor(Catalog, threads), new InProcessRangeExecutor(Catalog));
                for (int frame = 0; frame < 5; frame++)
                {
                    coordinator.RunAsync(HeatQuery(world), (ulong)frame + 1, 0.1, frame * 0.1, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                }

                return HeatOf(world, entities);
            }
            finally
            {
                directory.Dispose();
            }
        }

        var serial = await Task.Run(() => Run(1));
        var parallel = await Task.Run(() => Run(2));

        Assert.That(parallel, Is.EqualTo(serial));
    }

    [Test]
    public void ZeroThreads_AreRefused() =>
        Assert.That(() => new InProcessRangeExecutor(Catalog, threadCount: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());

    private static JobCatalog RendezvousCatalog { get; } = JobCatalog.FromTypes([typeof(RendezvousJob)]);
}

/// <summary>Adds each row's Rate to its Heat after meeting every other range at a barrier: only concurrent ranges pass.</summary>
public sealed class RendezvousJob : IJob
{
    /// <summary>The job's name.</summary>
    public const string JobName = "test.rendezvous";

    private static Barrier s_barrier = new(2);
    private static int s_instances;
    private int _running;

    /// <summary>Counts the instances created since the last <see cref="Reset"/>.</summary>
    public RendezvousJob()
    {
        Interlocked.Increment(ref s_instances);
    }

    /// <summary>Instances created since the last reset.</summary>
    public static int Instances => Volatile.Read(ref s_instances);

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Heat), typeof(Rate)];

    /// <summary>Starts a run where <paramref name="parties"/> ranges must meet, counting instances from zero.</summary>
    public static void Reset(int parties)
    {
        s_barrier.Dispose();
        s_barrier = new Barrier(parties);
        Volatile.Write(ref s_instances, 0);
    }

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        if (Interlocked.Increment(ref _running) != 1)
        {
            throw new InvalidOperationException("One job instance ran two ranges at once.");
        }

        try
        {
            // Hang guard: a serial executor never brings the second range, and the range fails instead of hanging.
            if (!s_barrier.SignalAndWait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("The other range never ran at the same time as this one.");
            }

            var heat = context.Write<Heat>();
            var rate = context.Read<Rate>();
            var changed = context.Changed<Heat>();
            for (var row = 0; row < heat.Length; row++)
            {
                heat[row] = new Heat(heat[row].Value + rate[row].Value);
                changed.Set(row);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
