using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

public class QueryTests
{
    private struct Integrate : IForEach<Position, Velocity>
    {
        public float Dt;

        public readonly void Execute(ref Position position, ref Velocity velocity)
        {
            position.X += velocity.X * Dt;
            position.Y += velocity.Y * Dt;
        }
    }

    private struct SumHealthByEntity : IForEachEntity<Health>
    {
        public long Sum;

        public void Execute(Entity entity, ref Health health) => Sum += health.Value * (long)entity.Index;
    }

    // Records each row's Health (its row identity before the +1000 it adds) and checks the refs passed with it belong
    // to the same row; the entity forms also record the entity they were given.
    private struct RecordVisits :
        IForEach<Health>, IForEach<Health, Position>, IForEach<Health, Position, Mass>, IForEachEntity<Health>, IForEachEntity<Health, Position>
    {
        public RecordVisits()
        {
        }

        public List<int> Visits { get; } = [];

        public List<Entity> Entities { get; } = [];

        public readonly void Execute(ref Health health)
        {
            Visits.Add(health.Value % 1000);
            health.Value += 1000;
        }

        public readonly void Execute(ref Health health, ref Position position)
        {
            Assert.That(position.X, Is.EqualTo(health.Value % 1000));
            Execute(ref health);
        }

        public readonly void Execute(ref Health health, ref Position position, ref Mass mass)
        {
            Assert.That(mass.Value, Is.EqualTo(health.Value % 1000));
            Execute(ref health, ref position);
        }

        public readonly void Execute(Entity entity, ref Health health)
        {
            Entities.Add(entity);
            Execute(ref health);
        }

        public readonly void Execute(Entity entity, ref Health health, ref Position position)
        {
            Entities.Add(entity);
            Execute(ref health, ref position);
        }
    }

    [Test]
    public void Query_MatchesAllAnyNone()
    {
        var world = new World();
        world.Create(new Position(), new Velocity());
        world.Create(new Position(), new Velocity(), new Frozen());
        world.Create(new Position(), new Health());
        world.Create(new Position(), new Velocity(), new Mass());
        world.Create(new Velocity());

        Assert.That(world.Query().All<Position>().Count, Is.EqualTo(4));
        Assert.That(world.Query().All<Position, Velocity>().None<Frozen>().Count, Is.EqualTo(2));
        Assert.That(world.Query().All<Position>().Any<Health, Mass>().Count, Is.EqualTo(2));
        Assert.That(world.Query().Any<Frozen>().Count, Is.EqualTo(1));
        Assert.That(world.Query().Count, Is.EqualTo(5));
    }

    [Test]
    public void Query_PicksUpArchetypesCreatedAfterItWasBuilt()
    {
        var world = new World();
        Query query = world.Query().All<Health>();
        world.Create(new Health(1));
        Assert.That(query.Count, Is.EqualTo(1));

        world.Create(new Health(2), new Mass(3));
        Entity moved = world.Create(new Position());
        world.Add(moved, new Health(4));

        Assert.That(query.Count, Is.EqualTo(3));
        Assert.That(query.Archetypes.Length, Is.EqualTo(3));
    }

    [Test]
    public void Chunks_CoverEveryMatchedRowWithEntitiesAndSpans()
    {
        var world = new World();
        var expected = new Dictionary<Entity, int>();
        for (int i = 0; i < 50; i++)
        {
            Entity entity = i % 2 == 0 ? world.Create(new Health(i)) : world.Create(new Health(i), new Mass(i));
            expected[entity] = i;
        }

        var seen = new Dictionary<Entity, int>();
        int chunks = 0;
        foreach (Chunk chunk in world.Query().All<Health>().Chunks())
        {
            chunks++;
            Span<Health> health = chunk.Span<Health>();
            ReadOnlySpan<Entity> entities = chunk.Entities;
            Assert.That(health.Length, Is.EqualTo(chunk.Length));
            for (int i = 0; i < chunk.Length; i++)
            {
                seen[entities[i]] = health[i].Value;
            }
        }

        Assert.That(chunks, Is.EqualTo(2));
        Assert.That(seen, Is.EquivalentTo(expected));
    }

    [Test]
    public void ForEach_StructCallbackUpdatesEveryMatchedRow()
    {
        var world = new World();
        Entity a = world.Create(new Position(1, 1), new Velocity(2, 4));
        Entity b = world.Create(new Position(0, 0), new Velocity(1, 1), new Health(3));
        Entity still = world.Create(new Position(5, 5));
        var integrate = new Integrate { Dt = 0.5f };

        world.Query().All<Position, Velocity>().ForEach<Integrate, Position, Velocity>(ref integrate);

        Assert.That(world.Get<Position>(a), Is.EqualTo(new Position(2, 3)));
        Assert.That(world.Get<Position>(b), Is.EqualTo(new Position(0.5f, 0.5f)));
        Assert.That(world.Get<Position>(still), Is.EqualTo(new Position(5, 5)));
    }

    [Test]
    public void ForEach_StructCallbacksVisitEveryRowOnceInRowOrder_WhateverTheRowCountModuloFour()
    {
        // The loops run four rows per iteration and the rest one by one: counts 0..9 per archetype cover every
        // remainder, and three archetypes make several chunks per query.
        for (var count = 0; count <= 9; count++)
        {
            var world = new World();
            var created = new List<Entity>();
            for (var i = 0; i < count; i++)
            {
                created.Add(world.Create(new Health(i), new Position(i, 0), new Mass(i)));
                created.Add(world.Create(new Health(100 + i), new Position(100 + i, 0), new Mass(100 + i), new Velocity()));
                created.Add(world.Create(new Health(200 + i), new Position(200 + i, 0), new Mass(200 + i), new Frozen()));
            }

            var query = world.Query().All<Health, Position, Mass>();
            var one = new RecordVisits();
            query.ForEach<RecordVisits, Health>(ref one);
            var two = new RecordVisits();
            query.ForEach<RecordVisits, Health, Position>(ref two);
            var three = new RecordVisits();
            query.ForEach<RecordVisits, Health, Position, Mass>(ref three);
            var entityOne = new RecordVisits();
            query.ForEachEntity<RecordVisits, Health>(ref entityOne);
            var entityTwo = new RecordVisits();
            query.ForEachEntity<RecordVisits, Health, Position>(ref entityTwo);

            var expected = new List<int>();
            var expectedEntities = new List<Entity>();
            foreach (var chunk in query.Chunks())
            {
                foreach (var health in chunk.Span<Health>())
                {
                    expected.Add(health.Value % 1000);
                }

                expectedEntities.AddRange(chunk.Entities);
            }

            Assert.That(expected, Has.Count.EqualTo(3 * count), $"{count} rows per archetype");
            Assert.That(one.Visits, Is.EqualTo(expected), $"one component, {count} rows per archetype");
            Assert.That(two.Visits, Is.EqualTo(expected), $"two components, {count} rows per archetype");
            Assert.That(three.Visits, Is.EqualTo(expected), $"three components, {count} rows per archetype");
            Assert.That(entityOne.Visits, Is.EqualTo(expected), $"entity and one component, {count} rows per archetype");
            Assert.That(entityTwo.Visits, Is.EqualTo(expected), $"entity and two components, {count} rows per archetype");
            Assert.That(entityOne.Entities, Is.EqualTo(expectedEntities), $"entity and one component, {count} rows per archetype");
            Assert.That(entityTwo.Entities, Is.EqualTo(expectedEntities), $"entity and two components, {count} rows per archetype");
            foreach (var entity in created)
            {
                // Each form added 1000 to Health; the two- and three-component forms also checked their refs match.
                Assert.That(world.Get<Health>(entity).Value % 1000, Is.EqualTo(world.Get<Mass>(entity).Value), $"{count} rows per archetype");
                Assert.That(world.Get<Health>(entity).Value / 1000, Is.EqualTo(5), $"{count} rows per archetype");
            }
        }
    }

    [Test]
    public void ForEach_DelegateAndEntityFormsSeeEveryRow()
    {
        var world = new World();
        Entity a = world.Create(new Health(2));
        Entity b = world.Create(new Health(3), new Mass(1));
        Query query = world.Query().All<Health>();

        query.ForEach((ref Health health) => health.Value *= 10);
        long sum = 0;
        query.ForEach((Entity entity, ref Health health) => sum += health.Value * (long)entity.Index);
        var callback = new SumHealthByEntity();
        query.ForEachEntity<SumHealthByEntity, Health>(ref callback);

        long expected = (20L * a.Index) + (30L * b.Index);
        Assert.That(sum, Is.EqualTo(expected));
        Assert.That(callback.Sum, Is.EqualTo(expected));
    }

    [Test]
    public void ForEach_OverComponentTheQueryDoesNotRequire_Throws()
    {
        var world = new World();
        Query query = world.Query().All<Position>();

        Assert.That(
            () => query.ForEach((ref Position p, ref Velocity v) => p.X += v.X),
            Throws.InvalidOperationException.With.Message.Contain(nameof(Velocity)));
    }

    [Test]
    public void StructuralChangeDuringIteration_ThrowsPointingToCommandBuffer()
    {
        var world = new World();
        Entity entity = world.Create(new Health(1));
        Query query = world.Query().All<Health>();

        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (Chunk chunk in query.Chunks())
            {
                world.Add(entity, new Mass(1));
            }
        });

        Assert.That(error!.Message, Does.Contain(nameof(CommandBuffer)));
        Assert.That(world.IsIterating, Is.False);
        Assert.That(() => query.ForEach((ref Health h) => world.Destroy(entity)), Throws.InvalidOperationException);
        Assert.That(() => query.ForEach((ref Health h) => world.Create()), Throws.InvalidOperationException);
        world.Destroy(entity);
        Assert.That(world.EntityCount, Is.Zero);
    }

    [Test]
    public void SetDuringIteration_IsAllowed()
    {
        var world = new World();
        Entity entity = world.Create(new Health(1));

        world.Query().All<Health>().ForEach((ref Health h) => world.Set(entity, new Health(5)));

        Assert.That(world.Get<Health>(entity).Value, Is.EqualTo(5));
    }

    [Test]
    public void SteadyStateIteration_AllocatesNothing()
    {
        var world = new World();
        for (int i = 0; i < 100; i++)
        {
            world.Create(new Position(i, i), new Velocity(1, 1));
        }

        Query query = world.Query().All<Position, Velocity>();
        var integrate = new Integrate { Dt = 1 };
        query.ForEach<Integrate, Position, Velocity>(ref integrate);
        CountChunks(query);

        long before = GC.GetAllocatedBytesForCurrentThread();
        query.ForEach<Integrate, Position, Velocity>(ref integrate);
        int rows = CountChunks(query);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(rows, Is.EqualTo(100));
        Assert.That(allocated, Is.Zero);
    }

    private static int CountChunks(Query query)
    {
        int rows = 0;
        foreach (Chunk chunk in query.Chunks())
        {
            rows += chunk.Length;
        }

        return rows;
    }
}
