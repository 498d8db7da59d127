using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

/// <summary>World.EnsureCapacity and CreateMany handing back the new rows: creation without garbage.</summary>
public sealed class CreationReservationTests
{
    private const int Count = 100_000;

    [Test]
    public void OneByOneCreates_AfterAReservation_AllocateLessThanTheComponentsBytes_AndCauseNoGen2Collection()
    {
        var world = new World();
        var blueprint = world.Blueprint().With<Position>().With<Velocity>();
        world.EnsureCapacity(blueprint, Count);
        world.Create(new Position(0, 0), new Velocity(1, 1));
        int gen2Before = GC.CollectionCount(2);
        long before = GC.GetAllocatedBytesForCurrentThread();

        for (int i = 1; i < Count; i++)
        {
            world.Create(new Position(i, 0), new Velocity(1, 1));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        int componentBytes = Count * (sizeof(float) * 4);
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.LessThanOrEqualTo(componentBytes * 1.2), "bytes allocated by the creates");
            Assert.That(GC.CollectionCount(2), Is.EqualTo(gen2Before), "gen-2 collections during the creates");
            Assert.That(world.EntityCount, Is.EqualTo(Count));
        });
    }

    [Test]
    public void EnsureCapacity_ReservesRowsAndSlots_SoTheCreatesAllocateNothing()
    {
        var world = new World();
        var blueprint = world.Blueprint().With(new Health(3));
        world.EnsureCapacity(blueprint, Count);
        world.Create(new Health(0));
        long before = GC.GetAllocatedBytesForCurrentThread();

        for (int i = 1; i < Count; i++)
        {
            world.Create(new Health(i));
        }

        world.CreateMany(0, blueprint);

        // Nothing per create: one small object each would be 2.4 MB over these 100k. The bound leaves room for the
        // runtime's own one-off bytes on this thread, which after other tests were 8 KB (one allocation quantum) inside
        // the loop and 408 bytes in CreateMany, with the same code (no collection ran meanwhile).
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(16 * 1024), "bytes allocated by 100k creates into a reservation");
    }

    [Test]
    public void EnsureCapacity_KeepsExistingEntitiesAndTheirValues()
    {
        var world = new World();
        var early = world.Create(new Health(7));
        world.EnsureCapacity(world.Blueprint().With<Health>(), 1_000);

        Assert.That(world.Get<Health>(early), Is.EqualTo(new Health(7)));
        Assert.That(world.Archetypes[1].Capacity, Is.GreaterThanOrEqualTo(1_001));
    }

    [Test]
    public void EnsureCapacity_WithABlueprintOfAnotherWorld_OrANegativeCount_Throws()
    {
        var world = new World();
        var foreign = new World().Blueprint().With(new Health(1));

        Assert.That(() => world.EnsureCapacity(foreign, 10), Throws.InvalidOperationException.With.Message.Contains("another world"));
        Assert.That(() => world.EnsureCapacity(world.Blueprint(), -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void CreateMany_ReturnsTheNewRows_ToWriteAValuePerEntityInTheSamePass()
    {
        var world = new World();
        world.Create(new Health(-1));

        Chunk rows = world.CreateMany(1_000, world.Blueprint().With(new Health(0)));
        Span<Health> health = rows.Span<Health>();
        for (int i = 0; i < health.Length; i++)
        {
            health[i] = new Health(i * 2);
        }

        var entities = rows.Entities.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(rows.Length, Is.EqualTo(1_000));
            Assert.That(rows.Start, Is.EqualTo(1), "after the entity created earlier");
            Assert.That(entities.Select(world.IsAlive), Has.All.True);
            Assert.That(entities.Select(e => world.Get<Health>(e).Value), Is.EqualTo(Enumerable.Range(0, 1_000).Select(i => i * 2)));
        });
    }

    [Test]
    public void CreateMany_RowsAreChangedAtTheCreationTick()
    {
        var world = new World();
        var query = world.Query().Changed<Health>();
        foreach (Chunk chunk in query.Chunks())
        {
        }

        Chunk rows = world.CreateMany(10, world.Blueprint().With(new Health(0)));
        rows.Span<Health>()[3] = new Health(5);

        int seen = 0;
        foreach (Chunk chunk in query.Chunks())
        {
            seen += chunk.Length;
        }

        Assert.That(seen, Is.EqualTo(10));
    }

    [Test]
    public void CreateManyIntoASpan_WritesTheHandles_AndReturnsTheSameRows()
    {
        var world = new World();
        var blueprint = world.Blueprint().With(new Health(1));
        Entity[] old = world.CreateMany(5, blueprint).Entities.ToArray();
        world.Destroy(old[1]);
        world.Destroy(old[3]);
        var handles = new Entity[8];

        Chunk rows = world.CreateMany(handles, blueprint);

        Assert.Multiple(() =>
        {
            Assert.That(rows.Entities.ToArray(), Is.EqualTo(handles));
            Assert.That(handles.Select(world.IsAlive), Has.All.True);
            Assert.That(handles.Select(e => e.Index).Distinct().Count(), Is.EqualTo(8));
            Assert.That(handles.Count(e => e.Index == old[1].Index || e.Index == old[3].Index), Is.EqualTo(2), "freed slots are reused");
            Assert.That(world.EntityCount, Is.EqualTo(3 + 8));
        });
    }

    [Test]
    public void CreateManyOfACount_AfterAReservation_AllocatesNothing()
    {
        var world = new World();
        var blueprint = world.Blueprint().With(new Health(1)).With(new Mass(2));
        world.EnsureCapacity(blueprint, Count);
        world.CreateMany(1, blueprint);
        long before = GC.GetAllocatedBytesForCurrentThread();

        Chunk rows = world.CreateMany(Count - 1, blueprint);

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(rows.Length, Is.EqualTo(Count - 1));
    }
}
