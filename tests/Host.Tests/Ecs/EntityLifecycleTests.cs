using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

public class EntityLifecycleTests
{
    [Test]
    public void Entity_PacksIndexInLowBitsAndGenerationInHighBits()
    {
        var entity = new Entity(7, 3);

        Assert.That(entity.Value, Is.EqualTo((3UL << 32) | 7UL));
        Assert.That(entity.Index, Is.EqualTo(7));
        Assert.That(entity.Generation, Is.EqualTo(3u));
    }

    [Test]
    public void Create_ReturnsDistinctLiveEntities()
    {
        var world = new World();

        Entity a = world.Create();
        Entity b = world.Create(new Position(1, 2));

        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(world.IsAlive(a) && world.IsAlive(b), Is.True);
        Assert.That(world.EntityCount, Is.EqualTo(2));
    }

    [Test]
    public void NullEntity_IsNeverAlive()
    {
        var world = new World();
        world.Create();

        Assert.That(world.IsAlive(Entity.Null), Is.False);
    }

    [Test]
    public void Destroy_ReusesSlotWithNewGeneration_AndOldHandleStaysDead()
    {
        var world = new World();
        Entity first = world.Create(new Health(1));
        world.Destroy(first);

        Entity second = world.Create(new Health(2));

        Assert.That(second.Index, Is.EqualTo(first.Index));
        Assert.That(second.Generation, Is.GreaterThan(first.Generation));
        Assert.That(world.IsAlive(first), Is.False);
        Assert.That(world.IsAlive(second), Is.True);
        Assert.That(world.EntityCount, Is.EqualTo(1));
    }

    [Test]
    public void Destroy_MovesLastRowIntoHole_AndKeepsOtherEntitiesIntact()
    {
        var world = new World();
        Entity a = world.Create(new Health(1));
        Entity b = world.Create(new Health(2));
        Entity c = world.Create(new Health(3));

        world.Destroy(a);

        Assert.That(world.Get<Health>(b).Value, Is.EqualTo(2));
        Assert.That(world.Get<Health>(c).Value, Is.EqualTo(3));
    }

    [Test]
    public void Destroy_RetiresSlotWhoseGenerationWouldWrap()
    {
        var world = new World();
        Entity entity = world.SetGenerationForTesting(world.Create(), uint.MaxValue - 1);
        world.Destroy(entity);

        Entity last = world.Create();
        Assert.That(last.Index, Is.EqualTo(entity.Index));
        Assert.That(last.Generation, Is.EqualTo(uint.MaxValue));

        world.Destroy(last);
        Entity next = world.Create();

        Assert.That(next.Index, Is.Not.EqualTo(entity.Index));
        Assert.That(world.IsAlive(last), Is.False);
        Assert.That(world.IsAlive(entity), Is.False);
    }

    [Test]
    public void Destroy_OfDeadEntity_ThrowsNamingTheEntity()
    {
        var world = new World();
        Entity entity = world.Create();
        world.Destroy(entity);

        var error = Assert.Throws<InvalidOperationException>(() => world.Destroy(entity));

        Assert.That(error!.Message, Does.Contain(entity.ToString()).And.Contain("not alive"));
    }

    [Test]
    public void Get_OfMissingComponent_ThrowsNamingEntityAndComponent()
    {
        var world = new World();
        Entity entity = world.Create(new Position(0, 0));

        var error = Assert.Throws<InvalidOperationException>(() => world.Get<Velocity>(entity));

        Assert.That(error!.Message, Does.Contain(entity.ToString()).And.Contain(nameof(Velocity)));
    }
}
