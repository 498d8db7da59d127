using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

public class ChangeTrackingTests
{
    private static readonly int[] s_expectedRunLengths = [1, 2];

    [Test]
    public void Changed_FirstRunSeesEveryRow_ThenOnlyRowsWrittenSince()
    {
        var world = new World();
        Entity a = world.Create(new Health(1));
        Entity b = world.Create(new Health(2));
        Query query = world.Query().Changed<Health>();

        Assert.That(Changed(query), Is.EquivalentTo(new[] { a, b }));
        world.AdvanceTick();
        world.Set(b, new Health(3));

        Assert.That(Changed(query), Is.EqualTo(new[] { b }));
        Assert.That(Changed(query), Is.Empty);
    }

    [Test]
    public void Changed_SeesWritesMadeLaterInTheSameFrame()
    {
        var world = new World();
        Entity a = world.Create(new Health(1));
        Query query = world.Query().Changed<Health>();
        Changed(query);

        world.Set(a, new Health(2));

        Assert.That(Changed(query), Is.EqualTo(new[] { a }));
    }

    [Test]
    public void Changed_IsCorrectAcrossFrames()
    {
        var world = new World();
        Entity[] entities = world.CreateMany(10, world.Blueprint().With(new Health(0))).Entities.ToArray();
        Query query = world.Query().Changed<Health>();
        Changed(query);

        for (int frame = 0; frame < 5; frame++)
        {
            world.AdvanceTick();
            Entity written = entities[frame * 2];
            world.Set(written, new Health(frame));

            Assert.That(Changed(query), Is.EqualTo(new[] { written }), $"frame {frame}");
        }
    }

    [Test]
    public void WriteThroughGet_IsNotAChange_UntilMarked()
    {
        var world = new World();
        Entity a = world.Create(new Health(1));
        Query query = world.Query().Changed<Health>();
        Changed(query);

        world.Get<Health>(a).Value = 5;
        Assert.That(Changed(query), Is.Empty);

        world.Get<Health>(a).Value = 6;
        world.MarkChanged<Health>(a);
        Assert.That(Changed(query), Is.EqualTo(new[] { a }));
    }

    [Test]
    public void ChunkMarkChanged_MarksEveryRowOfTheChunk()
    {
        var world = new World();
        world.CreateMany(4, world.Blueprint().With(new Health(1)));
        Query changed = world.Query().Changed<Health>();
        Changed(changed);

        foreach (Chunk chunk in world.Query().All<Health>().Chunks())
        {
            chunk.Span<Health>().Fill(new Health(9));
            chunk.MarkChanged<Health>();
        }

        Assert.That(Changed(changed), Has.Length.EqualTo(4));
    }

    [Test]
    public void SwapRemoveAndArchetypeMove_AreNotChanges()
    {
        var world = new World();
        Entity a = world.Create(new Health(1), new Mass(1));
        world.Create(new Health(2), new Mass(2));
        Entity c = world.Create(new Health(3), new Mass(3));
        Query query = world.Query().Changed<Health>();
        Changed(query);
        world.AdvanceTick();

        world.Destroy(a);
        world.Remove<Mass>(c);

        Assert.That(Changed(query), Is.Empty);
        Assert.That(world.Get<Health>(c).Value, Is.EqualTo(3));
    }

    [Test]
    public void CommandBufferPlayback_MarksWrittenRowsChanged()
    {
        var world = new World();
        Entity a = world.Create(new Health(1));
        Entity b = world.Create(new Health(2), new Mass(0));
        world.Create(new Health(3));
        Query query = world.Query().Changed<Health>();
        Changed(query);
        var commands = new CommandBuffer();
        commands.Set(a, new Health(10));
        commands.Remove<Mass>(b);
        Entity created = commands.Create();
        commands.Add(created, new Health(4));

        commands.Playback(world);

        Assert.That(Changed(query), Is.EquivalentTo(new[] { a, commands.Resolve(created) }));
    }

    [Test]
    public void ChangedFilter_YieldsOnlyRunsOfChangedRows()
    {
        var world = new World();
        Entity[] entities = world.CreateMany(6, world.Blueprint().With(new Health(0))).Entities.ToArray();
        Query query = world.Query().Changed<Health>();
        Changed(query);
        world.Set(entities[1], new Health(1));
        world.Set(entities[3], new Health(1));
        world.Set(entities[4], new Health(1));

        var lengths = new List<int>();
        foreach (Chunk chunk in query.Chunks())
        {
            lengths.Add(chunk.Length);
        }

        Assert.That(lengths, Is.EqualTo(s_expectedRunLengths));
    }

    [Test]
    public void SharedCursor_LetsEveryQueryOfASystemSeeTheSameChanges()
    {
        var world = new World();
        Entity a = world.Create(new Health(1), new Mass(1));
        var cursor = new ChangeCursor();
        Query health = world.Query().Changed<Health>().WithCursor(cursor);
        Query mass = world.Query().Changed<Mass>().WithCursor(cursor);
        cursor.BeginRun(world);
        Changed(health);
        Changed(mass);

        world.Set(a, new Health(2));
        world.Set(a, new Mass(2));
        cursor.BeginRun(world);

        Assert.That(Changed(health), Is.EqualTo(new[] { a }));
        Assert.That(Changed(mass), Is.EqualTo(new[] { a }));
    }

    [Test]
    public void EndedRun_DoesNotSeeItsOwnWritesNextTime_ButSeesLaterOnes()
    {
        var world = new World();
        Entity a = world.Create(new Health(1));
        Entity b = world.Create(new Health(1));
        var cursor = new ChangeCursor();
        Query query = world.Query().Changed<Health>().WithCursor(cursor);
        cursor.BeginRun(world);
        Assert.That(Changed(query), Is.EquivalentTo(new[] { a, b }));
        world.Set(a, new Health(2));
        cursor.EndRun(world);

        world.Set(b, new Health(3));
        cursor.BeginRun(world);

        Assert.That(Changed(query), Is.EqualTo(new[] { b }), "its own write to a is not a change to it; b's later write is");
    }

    [Test]
    public void RunNeverEnded_SeesItsOwnWritesNextTime()
    {
        var world = new World();
        Entity a = world.Create(new Health(1));
        Query query = world.Query().Changed<Health>();
        Changed(query);
        world.Set(a, new Health(2));

        Assert.That(Changed(query), Is.EqualTo(new[] { a }));
    }

    [Test]
    public void SeveralChangedFilters_RequireEveryComponentChanged()
    {
        var world = new World();
        Entity both = world.Create(new Health(1), new Mass(1));
        Entity onlyHealth = world.Create(new Health(1), new Mass(1));
        Query query = world.Query().Changed<Health>().Changed<Mass>();
        Changed(query);

        world.Set(both, new Health(2));
        world.Set(both, new Mass(2));
        world.Set(onlyHealth, new Health(2));

        Assert.That(Changed(query), Is.EqualTo(new[] { both }));
    }

    private static Entity[] Changed(Query query)
    {
        var entities = new List<Entity>();
        foreach (Chunk chunk in query.Chunks())
        {
            entities.AddRange(chunk.Entities);
        }

        return [.. entities];
    }
}
