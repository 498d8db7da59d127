using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

public class CommandBufferTests
{
    [Test]
    public void Playback_CreatesPlaceholderEntityWithItsComponents()
    {
        var world = new World();
        var commands = new CommandBuffer();
        Entity placeholder = commands.Create();
        commands.Add(placeholder, new Position(1, 2));
        commands.Add(placeholder, new Health(3));
        commands.Set(placeholder, new Health(4));

        Assert.That(placeholder.IsDeferred && !world.IsAlive(placeholder), Is.True);
        commands.Playback(world);
        Entity entity = commands.Resolve(placeholder);

        Assert.That(world.IsAlive(entity), Is.True);
        Assert.That(world.Get<Position>(entity), Is.EqualTo(new Position(1, 2)));
        Assert.That(world.Get<Health>(entity).Value, Is.EqualTo(4));
        Assert.That(commands.Count, Is.Zero);
    }

    [Test]
    public void Playback_AppliesCommandsInRecordingOrder()
    {
        var world = new World();
        Entity entity = world.Create(new Health(1));
        Entity doomed = world.Create();
        var commands = new CommandBuffer();
        commands.Add(entity, new Mass(5));
        commands.Remove<Health>(entity);
        commands.Add<Health>(entity);
        commands.Destroy(doomed);

        commands.Playback(world);

        Assert.That(world.Get<Mass>(entity).Value, Is.EqualTo(5));
        Assert.That(world.Get<Health>(entity).Value, Is.Zero);
        Assert.That(world.IsAlive(doomed), Is.False);
    }

    [Test]
    public void Playback_SkipsCommandsForEntitiesThatDied()
    {
        var world = new World();
        Entity entity = world.Create(new Health(1));
        var commands = new CommandBuffer();
        commands.Destroy(entity);
        commands.Set(entity, new Health(2));
        commands.Destroy(entity);

        commands.Playback(world);

        Assert.That(world.EntityCount, Is.Zero);
    }

    [Test]
    public void RecordingDuringIteration_ThenPlayback_AppliesStructuralChanges()
    {
        var world = new World();
        world.CreateMany(5, world.Blueprint().With(new Health(1)));
        var commands = new CommandBuffer();

        world.Query().All<Health>().ForEach((Entity entity, ref Health health) => commands.Add(entity, new Frozen(1)));
        commands.Playback(world);

        Assert.That(world.Query().All<Health, Frozen>().Count, Is.EqualTo(5));
    }

    [Test]
    public void Playback_DuringIteration_Throws()
    {
        var world = new World();
        world.Create(new Health(1));
        var commands = new CommandBuffer();
        commands.Create();

        Assert.That(
            () => world.Query().All<Health>().ForEach((ref Health h) => commands.Playback(world)),
            Throws.InvalidOperationException);
    }

    [Test]
    public void Resolve_OfPlaceholderNotYetPlayedBack_Throws()
    {
        var commands = new CommandBuffer();
        Entity placeholder = commands.Create();

        Assert.That(() => commands.Resolve(placeholder), Throws.ArgumentException);
    }
}
