using System.Runtime.InteropServices;
using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Persistence;
using SimHost.Physics;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// The fast checkpoint reader (each file read once, straight into the world's columns) loads exactly what the
/// verifying reader loads, and refuses, with nothing loaded, every checkpoint that one refuses.
/// </summary>
public sealed partial class CheckpointLoaderTests
{
    private string _checkpoint = null!;

    [SetUp]
    public void SetUp() => _checkpoint = Path.Combine(Path.GetTempPath(), $"simhost-loader-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_checkpoint))
        {
            Directory.Delete(_checkpoint, recursive: true);
        }
    }

    [Test]
    public void FastLoad_EqualsTheVerifyingReader_InEveryRowTickHandleAndFreeSlot()
    {
        var world = ChurnedWorld();
        WorldCheckpoint.Save(world, _checkpoint);

        var fast = new World();
        var isLoaded = CheckpointLoader.TryLoad(_checkpoint, fast);
        var verified = new World();
        WorldCheckpoint.LoadInto(verified, CheckpointFiles.ReadDirectory(_checkpoint).World);

        Assert.That(isLoaded, Is.True, "the fast reader loads an intact checkpoint");
        AssertSameWorld(fast, verified);
        AssertSameWorld(fast, world);
        Assert.That(fast.Create(), Is.EqualTo(verified.Create()), "the next entity reuses the same free slot");
        Assert.That(fast.GetDefault<ChurnModule.Seen>(), Is.EqualTo(new ChurnModule.Seen(7)), "registered defaults come back");
    }

    [Test]
    public void FastLoad_OnAnyThreadCountAndChunkSize_EqualsTheSavedWorld([Values(1, 2, 3)] int threads, [Values(64, 1000, CheckpointLoader.ChunkBytes)] int chunkBytes, [Values] bool arena)
    {
        // Small chunks interleave the threads' reads and hashing turns finely, within every file, the entity table's
        // in-place conversion of handles to records included.
        var world = ChurnedWorld();
        WorldCheckpoint.Save(world, _checkpoint);

        var loaded = new World();
        var isLoaded = CheckpointLoader.TryLoad(_checkpoint, loaded, threads, chunkBytes, arena);

        Assert.That(isLoaded, Is.True, "the fast reader loads an intact checkpoint");
        AssertSameWorld(loaded, world);
        Assert.That(loaded.Create(), Is.EqualTo(world.Create()), "the next entity reuses the same free slot");
    }

    [Test]
    public void FastLoad_OfWorldsWithFewerSlotsThanTheRecordsArray_EqualsTheSavedWorld([Values(1, 39, 63, 64, 65)] int entities, [Values(1, 2)] int threads, [Values] bool arena)
    {
        // The records array holds at least 64 slots: below that, the handles read into its tail overlap the records
        // converted in place at its front.
        var world = new World();
        new ChurnModule().Seed(world, ModuleContext.For(new ChurnModule(), seed: 3, entities: entities));
        world.Destroy(new Entity(0, 1));
        WorldCheckpoint.Save(world, _checkpoint);

        var loaded = new World();
        var isLoaded = CheckpointLoader.TryLoad(_checkpoint, loaded, threads, chunkBytes: 64, arena);

        Assert.That(isLoaded, Is.True, "the fast reader loads an intact checkpoint");
        AssertSameWorld(loaded, world);
        Assert.That(loaded.Create(), Is.EqualTo(world.Create()), "the next entity reuses the same free slot");
    }

    [Test]
    public void FastLoad_OfColumnsLargeEnoughForHugePages_EqualsTheSavedWorld([Values] bool arena)
    {
        // 600k particles: the positions, velocities, entity handles and records are each over BulkArray.MinimumBytes,
        // so the load advises the arena, or advises and collapses each array, before its threads read into them.
        var world = new World();
        ParticlesModule.Seed(world, 600_000, 42, PhysicsParameters.Default);
        WorldCheckpoint.Save(world, _checkpoint);

        var loaded = new World();
        var isLoaded = CheckpointLoader.TryLoad(_checkpoint, loaded, arena: arena);

        Assert.That(isLoaded, Is.True, "the fast reader loads an intact checkpoint");
        AssertSameWorld(loaded, world);
    }

    [Test]
    public void FastLoad_OfAFlippedBitOrTruncation_RefusesAndLoadsNothing([Values(1, 2)] int threads, [Values(64, CheckpointLoader.ChunkBytes)] int chunkBytes, [Values] bool arena)
    {
        WorldCheckpoint.Save(ChurnedWorld(), _checkpoint);
        var names = Directory.GetFiles(_checkpoint).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var random = new Random(14);
        for (var i = 0; i < 60; i++)
        {
            var path = Path.Combine(_checkpoint, names[random.Next(names.Length)]!);
            var original = File.ReadAllBytes(path);
            var damaged = original.ToArray();
            if (i % 4 == 3)
            {
                damaged = damaged[..random.Next(damaged.Length)];
            }
            else
            {
                damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            }

            File.WriteAllBytes(path, damaged);
            var world = new World();
            var isLoaded = CheckpointLoader.TryLoad(_checkpoint, world, threads, chunkBytes, arena);
            File.WriteAllBytes(path, original);

            Assert.That(isLoaded, Is.False, $"damage {i} in {Path.GetFileName(path)}");
            Assert.That(world.IsPristine, Is.True, "nothing of a refused checkpoint is loaded");
        }
    }

    [Test]
    public void FastLoad_OfRetiredSlots_LiveOrDead_EqualsTheVerifyingReader([Values(1, 2)] int threads, [Values(64, CheckpointLoader.ChunkBytes)] int chunkBytes)
    {
        // Free slots retired (taken off the free list) across the whole table, so that several 64-byte chunks count
        // some (the count is summed chunk by chunk), and one live entity at the last generation: both are worlds a long run
        // reaches, and the entity table's check counts retired slots rather than visiting each.
        var image = ChurnedWorld().CaptureImage();
        var generations = image.Generations.ToArray();
        var byIndex = image.FreeSlots.Order().ToArray();
        var retiredFree = new[] { byIndex[0], byIndex[byIndex.Length / 3], byIndex[2 * byIndex.Length / 3], byIndex[^1], image.FreeSlots[^1] }.Distinct().ToArray();
        foreach (var slot in retiredFree)
        {
            generations[slot] = uint.MaxValue;
        }

        var (archetypes, liveSlot) = RetireALiveEntity(image, generations);
        Write(image, generations, image.FreeSlots.Except(retiredFree).ToArray(), archetypes);

        var fast = new World();
        var isLoaded = CheckpointLoader.TryLoad(_checkpoint, fast, threads, chunkBytes);
        var verified = new World();
        WorldCheckpoint.LoadInto(verified, CheckpointFiles.ReadDirectory(_checkpoint).World);

        Assert.That(isLoaded, Is.True, "the fast reader loads retired slots");
        AssertSameWorld(fast, verified);
        var created = fast.Create();
        Assert.Multiple(() =>
        {
            Assert.That(fast.IsAlive(new Entity(liveSlot, uint.MaxValue)), Is.True, "the live entity at the last generation");
            Assert.That(created, Is.EqualTo(verified.Create()), "the next entity takes the same free slot");
            Assert.That(retiredFree, Has.No.Member(created.Index), "never a retired one (the top of the stack was retired)");
        });
    }

    [TestCase("a dead slot neither free nor retired", "is neither alive, free nor retired")]
    [TestCase("a free slot that is also retired", "is out of range, alive, retired or listed twice")]
    [TestCase("a free slot listed twice", "is out of range, alive, retired or listed twice")]
    [TestCase("a live slot in the free list", "is out of range, alive, retired or listed twice")]
    [TestCase("a dead slot neither free nor retired, beside a live retired one", "is neither alive, free nor retired")]
    public void FastLoad_OfAnEntityTableBreakingARule_RefusesLikeTheVerifyingReader(string rule, string verifiersWords)
    {
        // The hashes are right (the files are written whole): only the entity table's rules can refuse these. Where
        // the slots' counts would still add up, only the rule named can refuse it.
        var image = ChurnedWorld().CaptureImage();
        var generations = image.Generations.ToArray();
        var free = image.FreeSlots.ToArray();
        var archetypes = image.Archetypes;
        switch (rule)
        {
            case "a dead slot neither free nor retired":
                free = free[1..];
                break;
            case "a free slot that is also retired":
                // One free slot retired while listed, another dropped from the list: the counts add up.
                generations[free[0]] = uint.MaxValue;
                free = free[..^1];
                break;
            case "a free slot listed twice":
                free[^1] = free[0];
                break;
            case "a live slot in the free list":
                free[0] = BitConverter.ToInt32(image.Archetypes.First(a => a.Rows > 0).Entities.Span[..4]);
                break;
            default:
                // Were live retired slots not told apart from dead ones, the counts would add up here.
                free = free[1..];
                (archetypes, _) = RetireALiveEntity(image, generations);
                break;
        }

        Write(image, generations, free, archetypes);

        var world = new World();
        var isLoaded = CheckpointLoader.TryLoad(_checkpoint, world);
        var verifier = Assert.Throws<CheckpointException>(() => CheckpointFiles.ReadDirectory(_checkpoint));

        Assert.Multiple(() =>
        {
            Assert.That(isLoaded, Is.False, rule);
            Assert.That(world.IsPristine, Is.True, "nothing of a refused checkpoint is loaded");
            Assert.That(verifier!.Error, Is.EqualTo(CheckpointError.InconsistentWorld), "the verifying reader refuses it for the entity table's rules");
            Assert.That(verifier.Message, Does.Contain(verifiersWords), "and for the rule named");
        });
    }

    [Test]
    public void FastLoad_OfArchetypeEntitiesBreakingARule_RefusesLikeTheVerifyingReader(
        [Values("an entity in two archetypes", "an entity twice in one archetype", "a generation the table does not have", "a slot past the table", "generation 0")] string rule,
        [Values(1, 2, 3)] int threads,
        [Values(64, CheckpointLoader.ChunkBytes)] int chunkBytes)
    {
        // The broken row is the last of its archetype, in its last chunk. The slot it no longer names stays as it was
        // (neither free nor retired):
        // the rows still count one live entity for it, so the slots' counts add up and only the rule named refuses.
        var image = ChurnedWorld().CaptureImage();
        var generations = image.Generations.ToArray();
        var archetypes = image.Archetypes.ToArray();
        var withRows = Enumerable.Range(0, archetypes.Length).Where(a => archetypes[a].Rows > 1).ToArray();
        Assert.That(withRows, Has.Length.GreaterThan(1), "the churned world has two archetypes with rows");
        var (other, broken) = (withRows[0], withRows[^1]);
        var handles = archetypes[broken].Entities.ToArray();
        var last = handles.Length - sizeof(ulong);
        var orphan = BitConverter.ToInt32(handles, last);
        switch (rule)
        {
            case "an entity in two archetypes":
                archetypes[other].Entities.Span[..sizeof(ulong)].CopyTo(handles.AsSpan(last));
                break;
            case "an entity twice in one archetype":
                handles.AsSpan(0, sizeof(ulong)).CopyTo(handles.AsSpan(last));
                break;
            case "a generation the table does not have":
                BitConverter.TryWriteBytes(handles.AsSpan(last + sizeof(int)), generations[orphan] + 1);
                break;
            case "a slot past the table":
                BitConverter.TryWriteBytes(handles.AsSpan(last), generations.Length);
                break;
            default:
                BitConverter.TryWriteBytes(handles.AsSpan(last + sizeof(int)), 0u);
                break;
        }

        // Generation 0 is refused even where the table agrees.
        if (rule == "generation 0")
        {
            generations[orphan] = 0;
        }

        archetypes[broken] = CopyWithEntities(archetypes[broken], handles);
        Write(image, generations, image.FreeSlots.ToArray(), archetypes);

        var world = new World();
        var isLoaded = CheckpointLoader.TryLoad(_checkpoint, world, threads, chunkBytes);
        var verifier = Assert.Throws<CheckpointException>(() => CheckpointFiles.ReadDirectory(_checkpoint));

        Assert.Multiple(() =>
        {
            Assert.That(isLoaded, Is.False, rule);
            Assert.That(world.IsPristine, Is.True, "nothing of a refused checkpoint is loaded");
            Assert.That(verifier!.Error, Is.EqualTo(CheckpointError.InconsistentWorld), "the verifying reader refuses it for the entity table's rules");
            Assert.That(verifier.Message, Does.Contain("is not a live slot of the entity table, or appears twice"), "and for the rule named");
        });
    }

    /// <summary>Gives the first live entity the last generation, in the entity table and in its archetype's handles.</summary>
    private static (ArchetypeImage[] Archetypes, int Slot) RetireALiveEntity(WorldImage image, uint[] generations)
    {
        var archetypes = image.Archetypes.ToArray();
        var target = Array.FindIndex(archetypes, a => a.Rows > 0);
        var handles = archetypes[target].Entities.ToArray();
        var slot = BitConverter.ToInt32(handles, 0);
        generations[slot] = uint.MaxValue;
        BitConverter.TryWriteBytes(handles.AsSpan(4, 4), uint.MaxValue);
        archetypes[target] = CopyWithEntities(archetypes[target], handles);
        return (archetypes, slot);
    }

    private void Write(WorldImage image, uint[] generations, int[] freeSlots, ArchetypeImage[] archetypes)
    {
        var changed = new WorldImage
        {
            ChangeTick = image.ChangeTick,
            Generations = generations,
            FreeSlots = freeSlots,
            Components = image.Components,
            Archetypes = archetypes,
        };
        CheckpointFiles.WriteDirectory(new CheckpointContent(changed, null, new Dictionary<string, string>()), _checkpoint);
    }

    private static ArchetypeImage CopyWithEntities(ArchetypeImage archetype, byte[] entities) => new()
    {
        Components = archetype.Components,
        Rows = archetype.Rows,
        Entities = entities,
        Columns = archetype.Columns,
        ChangedTicks = archetype.ChangedTicks,
        UniformChangedTicks = archetype.UniformChangedTicks,
        LastChangedTicks = archetype.LastChangedTicks,
    };

    private static World ChurnedWorld(int entities = 700)
    {
        var world = new World();
        new ChurnModule().Seed(world, ModuleContext.For(new ChurnModule(), seed: 6, entities: entities));
        for (var i = 0; i < entities; i += 3)
        {
            world.Destroy(new Entity(i, 1));
        }

        world.Add(new Entity(1, 1), new ChurnModule.Seen(2));
        world.Add(new Entity(4, 1), new ChurnModule.Seen(5));
        world.AdvanceTick();
        world.MarkChanged<ChurnModule.Energy>(new Entity(2, 1));
        world.AdvanceTick();
        return world;
    }

    private static void AssertSameWorld(World actual, World expected)
    {
        Assert.That(actual.ChangeTick, Is.EqualTo(expected.ChangeTick));
        Assert.That(actual.EntityCount, Is.EqualTo(expected.EntityCount));
        Assert.That(actual.Archetypes.Length, Is.EqualTo(expected.Archetypes.Length));
        for (var a = 0; a < expected.Archetypes.Length; a++)
        {
            var (left, right) = (actual.Archetypes[a], expected.Archetypes[a]);
            Assert.That(left.Entities.ToArray(), Is.EqualTo(right.Entities.ToArray()), $"archetype {a} entities");
            foreach (var id in right.ComponentIds)
            {
                Assert.That(left.GetBytes(id).ToArray(), Is.EqualTo(right.GetBytes(id).ToArray()), $"archetype {a} component {id} rows");
                Assert.That(left.GetChangedTicks(id).ToArray(), Is.EqualTo(right.GetChangedTicks(id).ToArray()), $"archetype {a} component {id} ticks");
                Assert.That(left.GetColumn(id).LastChangedTick, Is.EqualTo(right.GetColumn(id).LastChangedTick));
            }

            foreach (var entity in right.Entities)
            {
                Assert.That(actual.IsAlive(entity), Is.True);
            }
        }

        Assert.That(MemoryMarshal.AsBytes(actual.Archetypes[0].Entities).Length, Is.EqualTo(MemoryMarshal.AsBytes(expected.Archetypes[0].Entities).Length));
    }
}
