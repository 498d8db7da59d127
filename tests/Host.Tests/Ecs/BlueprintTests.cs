using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

public class BlueprintTests
{
    [Test]
    public void CreateMany_CreatesLiveEntitiesWithBlueprintValues()
    {
        var world = new World();
        world.Register(new Health(7));
        Blueprint blueprint = world.Blueprint().With(new Position(1, 2)).With<Health>();

        Entity[] entities = world.CreateMany(1000, blueprint).Entities.ToArray();

        Assert.That(world.EntityCount, Is.EqualTo(1000));
        Assert.That(entities.Distinct().Count(), Is.EqualTo(1000));
        foreach (Entity entity in entities)
        {
            Assert.That(world.Get<Position>(entity), Is.EqualTo(new Position(1, 2)));
            Assert.That(world.Get<Health>(entity).Value, Is.EqualTo(7));
        }
    }

    [Test]
    public void CreateMany_ReusesFreedSlotsFirst()
    {
        var world = new World();
        Entity[] first = world.CreateMany(10, world.Blueprint().With(new Health(1))).Entities.ToArray();
        world.Destroy(first[3]);
        world.Destroy(first[7]);

        Span<Entity> second = new Entity[5];
        world.CreateMany(second, world.Blueprint().With(new Mass(2)));

        Assert.That(second[0].Index is 3 or 7 && second[1].Index is 3 or 7, Is.True);
        Assert.That(world.IsAlive(first[3]) || world.IsAlive(first[7]), Is.False);
        Assert.That(world.EntityCount, Is.EqualTo(13));
        Assert.That(world.Get<Mass>(second[4]).Value, Is.EqualTo(2));
    }

    [Test]
    public void CreateMany_AppendsToArchetypeHoldingEarlierEntities()
    {
        var world = new World();
        Entity single = world.Create(new Health(1), new Mass(1));

        Entity[] many = world.CreateMany(3, world.Blueprint().With(new Mass(2)).With(new Health(2))).Entities.ToArray();

        Assert.That(world.Query().All<Health, Mass>().Archetypes.Length, Is.EqualTo(1));
        Assert.That(world.Get<Health>(single).Value, Is.EqualTo(1));
        Assert.That(world.Get<Health>(many[2]).Value, Is.EqualTo(2));
    }

    [Test]
    public void CreateMany_WithBlueprintOfAnotherWorld_Throws()
    {
        var world = new World();
        Blueprint foreign = new World().Blueprint().With(new Health(1));

        Assert.That(() => world.CreateMany(1, foreign), Throws.InvalidOperationException);
    }
}
