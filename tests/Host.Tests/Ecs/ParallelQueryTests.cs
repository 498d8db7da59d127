using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

/// <summary>Query.ParallelForEachChunk over a fixed set of threads: coverage, alignment, change stamps, failures.</summary>
public sealed class ParallelQueryTests
{
    private QueryThreads? _threads;

    [SetUp]
    public void SetUp() => _threads = new QueryThreads(2);

    [TearDown]
    public void TearDown() => _threads?.Dispose();

    [Test]
    public void ParallelForEachChunk_VisitsEveryMatchedRowExactlyOnce()
    {
        var world = NewWorld();
        world.CreateMany(10_001, world.Blueprint().With(new Health(0)));
        world.CreateMany(5_000, world.Blueprint().With(new Health(0)).With(new Mass(1)));
        world.CreateMany(7, world.Blueprint().With(new Health(0)).With(new Frozen(1)));
        world.CreateMany(3_000, world.Blueprint().With(new Mass(0)));

        world.Query().All<Health>().ParallelForEachChunk(new Increment());

        var visits = new List<int>();
        foreach (Chunk chunk in world.Query().All<Health>().Chunks())
        {
            foreach (Health health in chunk.Span<Health>())
            {
                visits.Add(health.Value);
            }
        }

        Assert.That(visits, Has.Count.EqualTo(15_008).And.All.EqualTo(1));
    }

    [Test]
    public void ParallelForEachChunk_CutsTablesOnlyOn64RowBoundaries()
    {
        var world = NewWorld();
        world.CreateMany(100_003, world.Blueprint().With(new Health(0)));
        var pieces = new ConcurrentBag<(int Start, int Length)>();

        world.Query().All<Health>().ParallelForEachChunk(new RecordPieces(pieces));

        var ordered = pieces.OrderBy(p => p.Start).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(ordered, Has.Length.GreaterThan(1), "a 100k-row table is split");
            Assert.That(ordered.Select(p => p.Start % 64), Has.All.EqualTo(0));
            Assert.That(ordered.Sum(p => p.Length), Is.EqualTo(100_003));
            for (int i = 1; i < ordered.Length; i++)
            {
                Assert.That(ordered[i].Start, Is.EqualTo(ordered[i - 1].Start + ordered[i - 1].Length), "pieces tile the table");
            }
        });
    }

    [Test]
    public void ParallelWrite_StampsExactlyLikeTheSerialWrite()
    {
        var serial = NewWorld();
        var parallel = NewWorld();
        foreach (World world in new[] { serial, parallel })
        {
            world.CreateMany(20_000, world.Blueprint().With(new Health(1)));
            world.CreateMany(3_000, world.Blueprint().With(new Health(1)).With(new Mass(1)));
            world.AdvanceTick();
            world.AdvanceTick();
        }

        foreach (Chunk chunk in serial.Query().All<Health>().Chunks())
        {
            new DoubleAndMark().Execute(chunk);
        }

        parallel.Query().All<Health>().ParallelForEachChunk(new DoubleAndMark());

        Assert.Multiple(() =>
        {
            for (int a = 0; a < serial.Archetypes.Length; a++)
            {
                Archetype expected = serial.Archetypes[a];
                Archetype actual = parallel.Archetypes[a];
                if (!expected.Has<Health>())
                {
                    continue;
                }

                int id = ComponentType.Of<Health>().Id;
                Assert.That(actual.GetChangedTicks(id).ToArray(), Is.EqualTo(expected.GetChangedTicks(id).ToArray()), $"ticks of {expected}");
                Assert.That(actual.GetSpan<Health>().ToArray(), Is.EqualTo(expected.GetSpan<Health>().ToArray()), $"values of {expected}");
            }
        });
    }

    [Test]
    public void ParallelForEachChunk_WithChangedFilter_SeesTheRowsTheSerialQuerySees()
    {
        var serial = NewWorld();
        var parallel = NewWorld();
        var serialQuery = serial.Query().Changed<Health>();
        var parallelQuery = parallel.Query().Changed<Health>();
        foreach (World world in new[] { serial, parallel })
        {
            world.CreateMany(50_000, world.Blueprint().With(new Health(1)));
        }

        // First runs see every row; then only the rows written since.
        foreach (Chunk chunk in serialQuery.Chunks())
        {
        }

        parallelQuery.ParallelForEachChunk(new Increment());
        foreach (World world in new[] { serial, parallel })
        {
            world.AdvanceTick();
            foreach (Entity entity in Sample(world))
            {
                world.Set(entity, new Health(100));
            }
        }

        var seenSerially = new List<Entity>();
        foreach (Chunk chunk in serialQuery.Chunks())
        {
            seenSerially.AddRange(chunk.Entities.ToArray());
        }

        var seenInParallel = new ConcurrentBag<Entity>();
        parallelQuery.ParallelForEachChunk(new CollectEntities(seenInParallel));

        Assert.That(seenInParallel.OrderBy(e => e.Index), Is.EqualTo(seenSerially.OrderBy(e => e.Index)));
        Assert.That(seenSerially, Has.Count.EqualTo(Sample(serial).Length));
    }

    [Test]
    public void ParallelForEachChunk_RethrowsTheCallbacksException_AndEndsTheIteration()
    {
        var world = NewWorld();
        world.CreateMany(50_000, world.Blueprint().With(new Health(0)));

        Assert.That(() => world.Query().All<Health>().ParallelForEachChunk(new Throw()), Throws.InstanceOf<ArithmeticException>());
        Assert.That(world.IsIterating, Is.False);
        Assert.That(() => world.Create(new Health(1)), Throws.Nothing);
    }

    [Test]
    public void ParallelForEachChunk_RefusesStructuralChangesWhileRunning()
    {
        var world = NewWorld();
        world.CreateMany(50_000, world.Blueprint().With(new Health(0)));

        Assert.That(() => world.Query().All<Health>().ParallelForEachChunk(new CreateInside()), Throws.InvalidOperationException);
    }

    [Test]
    public void ParallelForEachChunk_NestedInACallback_RunsOnTheCallingThreadInsteadOfDeadlocking()
    {
        var world = NewWorld();
        world.CreateMany(50_000, world.Blueprint().With(new Health(0)));
        world.CreateMany(5_000, world.Blueprint().With(new Mass(0)));

        var run = Task.Run(() => world.Query().All<Health>().ParallelForEachChunk(new Nested()));

        Assert.That(run.Wait(TimeSpan.FromSeconds(60)), Is.True, "the nested parallel query hung");
        long total = 0;
        foreach (Chunk chunk in world.Query().All<Mass>().Chunks())
        {
            foreach (Mass mass in chunk.Span<Mass>())
            {
                total += mass.Value;
            }
        }

        // One nested run per 64 Health rows of each piece: pieces are whole 64-row blocks but the last (50,000 = 781 × 64 + 16).
        Assert.That(total, Is.EqualTo(5_000L * 782), "every block of 64 Health rows walked the Mass rows once");
    }

    [Test]
    public void ParallelForEachChunk_AllocatesNothingOnTheCallingThreadOnceWarm()
    {
        var world = NewWorld();
        world.CreateMany(100_000, world.Blueprint().With(new Health(0)));
        world.CreateMany(100_000, world.Blueprint().With(new Health(0)).With(new Mass(0)));
        var query = world.Query().All<Health>();

        // Warm means past the runtime's one-off work too: on a busy machine the JIT's switch to optimized code lands
        // during some later run and allocates once on the calling thread. An allocation per run would show in every
        // window of ten runs; so the test asks for one window that allocated nothing, within a bound.
        var windows = new List<long>();
        for (int window = 0; window < 30 && (windows.Count == 0 || windows[^1] != 0); window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
            {
                query.ParallelForEachChunk(new Increment());
            }

            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.That(windows[^1], Is.Zero, $"bytes allocated per window of ten runs: {string.Join(", ", windows)}");
    }

    [Test]
    public void QueryThreads_OfFewerThanOneThread_AreRefused() =>
        Assert.That(() => new QueryThreads(0), Throws.InstanceOf<ArgumentOutOfRangeException>());

    private static Entity[] Sample(World world)
    {
        // Every 97th entity of the first archetype with Health.
        var entities = new List<Entity>();
        foreach (Chunk chunk in world.Query().All<Health>().Chunks())
        {
            for (int i = 0; i < chunk.Length; i += 97)
            {
                entities.Add(chunk.Entities[i]);
            }
        }

        return [.. entities];
    }

    private World NewWorld() => new() { Threads = _threads! };

    private readonly struct Increment : IForEachChunk
    {
        public void Execute(Chunk chunk)
        {
            foreach (ref Health health in chunk.Span<Health>())
            {
                health.Value++;
            }
        }
    }

    private readonly struct DoubleAndMark : IForEachChunk
    {
        public void Execute(Chunk chunk)
        {
            Span<Health> health = chunk.Span<Health>();
            // Every third row only: the stamps must land on exactly these rows.
            for (int i = 0; i < health.Length; i++)
            {
                if ((chunk.Start + i) % 3 == 0)
                {
                    health[i] = new Health(health[i].Value * 2);
                    chunk.Archetype.MarkChanged(ComponentType.Of<Health>().Id, chunk.Start + i, 1);
                }
            }
        }
    }

    private readonly struct RecordPieces(ConcurrentBag<(int Start, int Length)> pieces) : IForEachChunk
    {
        public void Execute(Chunk chunk) => pieces.Add((chunk.Start, chunk.Length));
    }

    private readonly struct CollectEntities(ConcurrentBag<Entity> entities) : IForEachChunk
    {
        public void Execute(Chunk chunk)
        {
            foreach (Entity entity in chunk.Entities)
            {
                entities.Add(entity);
            }
        }
    }

    private readonly struct Throw : IForEachChunk
    {
        public void Execute(Chunk chunk) => throw new ArithmeticException("callback failed");
    }

    private readonly struct CreateInside : IForEachChunk
    {
        public void Execute(Chunk chunk) => chunk.Archetype.World.Create(new Health(1));
    }

    private readonly struct Nested : IForEachChunk
    {
        public void Execute(Chunk chunk)
        {
            for (int i = 0; i < chunk.Length; i += 64)
            {
                chunk.Archetype.World.Query().All<Mass>().ParallelForEachChunk(new AddOneMass());
            }
        }
    }

    private readonly struct AddOneMass : IForEachChunk
    {
        public void Execute(Chunk chunk)
        {
            foreach (ref Mass mass in chunk.Span<Mass>())
            {
                // Nested runs of different outer pieces walk the same rows at once.
                Interlocked.Increment(ref Unsafe.As<Mass, long>(ref mass));
            }
        }
    }
}
