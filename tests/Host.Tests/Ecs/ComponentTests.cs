using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

public class ComponentTests
{
    [Test]
    public void CreateWithComponents_StoresTheirValues()
    {
        var world = new World();

        Entity entity = world.Create(new Position(1, 2), new Velocity(3, 4), new Health(5));

        Assert.That(world.Get<Position>(entity), Is.EqualTo(new Position(1, 2)));
        Assert.That(world.Get<Velocity>(entity), Is.EqualTo(new Velocity(3, 4)));
        Assert.That(world.Get<Health>(entity), Is.EqualTo(new Health(5)));
        Assert.That(world.Has<Mass>(entity), Is.False);
    }

    [Test]
    public void Get_ReturnsReferenceIntoTheColumn()
    {
        var world = new World();
        Entity entity = world.Create(new Health(1));

        world.Get<Health>(entity).Value = 42;

        Assert.That(world.Get<Health>(entity).Value, Is.EqualTo(42));
    }

    [Test]
    public void AddAndRemove_MoveEntityBetweenArchetypes_KeepingOtherValues()
    {
        var world = new World();
        Entity entity = world.Create(new Position(1, 2));

        world.Add(entity, new Velocity(3, 4));
        Assert.That(world.Has<Velocity>(entity), Is.True);
        Assert.That(world.Get<Position>(entity), Is.EqualTo(new Position(1, 2)));

        Assert.That(world.Remove<Position>(entity), Is.True);
        Assert.That(world.Has<Position>(entity), Is.False);
        Assert.That(world.Get<Velocity>(entity), Is.EqualTo(new Velocity(3, 4)));
    }

    [Test]
    public void Add_OfPresentComponent_OverwritesValue()
    {
        var world = new World();
        Entity entity = world.Create(new Health(1));

        world.Add(entity, new Health(2));

        Assert.That(world.Get<Health>(entity).Value, Is.EqualTo(2));
    }

    [Test]
    public void Remove_OfMissingComponent_ReturnsFalse()
    {
        var world = new World();
        Entity entity = world.Create();

        Assert.That(world.Remove<Health>(entity), Is.False);
    }

    [Test]
    public void AddWithoutValue_UsesRegisteredDefault()
    {
        var world = new World();
        world.Register(new Health(100));
        Entity entity = world.Create();

        world.Add<Health>(entity);

        Assert.That(world.Get<Health>(entity).Value, Is.EqualTo(100));
    }

    [Test]
    public void Set_OfMissingComponent_Throws()
    {
        var world = new World();
        Entity entity = world.Create();

        Assert.That(() => world.Set(entity, new Health(1)), Throws.InvalidOperationException.With.Message.Contain(nameof(Health)));
    }

    [Test]
    public void ComponentType_HasDenseIdAndSize()
    {
        ComponentType type = ComponentType.Of<Mass>();

        Assert.That(ComponentType.FromId(type.Id), Is.SameAs(type));
        Assert.That(type.SizeBytes, Is.EqualTo(sizeof(long)));
        Assert.That(type.Name, Is.EqualTo(nameof(Mass)));
    }

    [Test]
    public void ArchetypeColumns_ExposeTypedBytesTicksAndEntities()
    {
        var world = new World();
        Entity a = world.Create(new Mass(1), new Health(10));
        Entity b = world.Create(new Mass(2), new Health(20));
        Archetype archetype = world.Query().All<Mass, Health>().Archetypes[0];

        Span<byte> bytes = archetype.GetBytes(ComponentType.Of<Mass>().Id);
        BitConverter.GetBytes(7L).CopyTo(bytes[8..]);

        Assert.That(archetype.Entities.ToArray(), Is.EqualTo(new[] { a, b }));
        Assert.That(archetype.GetSpan<Health>().ToArray(), Is.EqualTo(new[] { new Health(10), new Health(20) }));
        Assert.That(bytes.Length, Is.EqualTo(16));
        Assert.That(world.Get<Mass>(b).Value, Is.EqualTo(7));
        Assert.That(archetype.GetChangedTicks(ComponentType.Of<Mass>().Id).Length, Is.EqualTo(2));
    }
}
