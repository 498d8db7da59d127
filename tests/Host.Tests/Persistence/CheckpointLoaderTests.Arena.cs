using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Host.Persistence;
using SimHost.Host.SharedStorage;
using SimHost.Layout.Segments;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// A world loaded into a <see cref="LoadArena"/> (every load on Linux) behaves in every way as one loaded into managed
/// arrays: growing, moving rows between archetypes, destroying, change filters, saving again, moving into shared
/// storage and back. Each array leaves the arena as it first grows or moves.
/// </summary>
public sealed partial class CheckpointLoaderTests
{
    // Enough rows that every column spans many pages: an array leaving the arena gives its pages back, so a row read
    // from the arena after its array left would read zeros and fail these tests.
    private const int ArenaEntities = 30_000;

    [Test]
    public void ArenaLoad_UnderEveryKindOfChange_StaysEqualToAManagedLoad([Values(1, 3)] int rounds)
    {
        WorldCheckpoint.Save(ChurnedWorld(ArenaEntities), _checkpoint);
        var (arena, managed) = (LoadWays(arena: true), LoadWays(arena: false));
        var changedRows = new List<Entity[]>();

        foreach (var world in new[] { arena, managed })
        {
            // A change filter's first run sees every row; its second, the rows written since (the loaded ticks read).
            var changed = world.Query().Changed<ChurnModule.Energy>();
            _ = Rows(changed);
            for (var round = 0; round < rounds; round++)
            {
                // Rows created past the loaded capacity (every archetype and the entity records grow), loaded rows
                // moved to another archetype and back, destroyed, written; then the change filter's view of it all.
                var created = Enumerable.Range(0, 15_000).Select(i => world.Create(new ChurnModule.Energy(i))).ToArray();
                var loaded = world.Archetypes.ToArray().SelectMany(static a => a.Entities.ToArray()).Where(e => e.Index < ArenaEntities).Take(4000).ToArray();
                for (var i = 0; i < loaded.Length; i++)
                {
                    switch (i % 4)
                    {
                        case 0:
                            world.Add(loaded[i], new ChurnModule.Seen(i));
                            break;
                        case 1:
                            world.Remove<ChurnModule.Seen>(loaded[i]);
                            break;
                        case 2:
                            world.Destroy(loaded[i]);
                            break;
                        default:
                            world.AdvanceTick();
                            world.Set(loaded[i], new ChurnModule.Energy(-i));
                            break;
                    }
                }

                world.Destroy(created[7]);
                world.AdvanceTick();
            }

            changedRows.Add(Rows(changed));
        }

        AssertSameWorld(arena, managed);
        Assert.That(arena.Archetypes.ToArray().SelectMany(static a => a.Columns).Where(static c => c.IsInLoadArena), Is.Empty, "every column grew out of the arena");
        Assert.That(changedRows[0], Is.EqualTo(changedRows[1]), "the change filter sees the same rows");
        Assert.That(changedRows[0], Is.Not.Empty);
        Assert.That(arena.Create(), Is.EqualTo(managed.Create()), "the next entity takes the same slot");
    }

    [Test]
    public void ArenaLoad_SavedAgain_WritesTheSameFiles()
    {
        var world = ChurnedWorld(ArenaEntities);
        WorldCheckpoint.Save(world, _checkpoint);
        var loaded = LoadWays(arena: true);
        var again = _checkpoint + "-again";

        try
        {
            WorldCheckpoint.Save(loaded, again);

            foreach (var file in Directory.GetFiles(_checkpoint))
            {
                Assert.That(File.ReadAllBytes(Path.Combine(again, Path.GetFileName(file))), Is.EqualTo(File.ReadAllBytes(file)), Path.GetFileName(file));
            }
        }
        finally
        {
            Directory.Delete(again, recursive: true);
        }
    }

    [Test]
    public void ArenaLoad_MovedIntoSharedStorageAndBack_KeepsEveryRow_AndGrows()
    {
        WorldCheckpoint.Save(ChurnedWorld(ArenaEntities), _checkpoint);
        var (arena, managed) = (LoadWays(arena: true), LoadWays(arena: false));
        using var directory = RunDirectory.Create(Path.GetTempPath());

        foreach (var world in new[] { arena, managed })
        {
            // Installing moves the shared component's loaded columns into segments; growing grows the segments; the
            // store going away moves them back into managed arrays.
            var store = new SharedColumnStore(directory, [ComponentType.Of<ChurnModule.Energy>()], new SharedMemoryBudget(1L << 30));
            store.Install(world);
            foreach (var entity in Enumerable.Range(0, 20_000).Select(i => world.Create(new ChurnModule.Energy(1000 + i))).Where(e => e.Index % 5 == 0))
            {
                world.Add(entity, new ChurnModule.Seen(3));
            }

            store.Dispose();
        }

        AssertSameWorld(arena, managed);
    }

    private World LoadWays(bool arena)
    {
        var world = new World();
        Assert.That(CheckpointLoader.TryLoad(_checkpoint, world, arena: arena), Is.True, $"loaded (arena: {arena})");
        var inArena = world.Archetypes.ToArray().SelectMany(static a => a.Columns).Count(static c => c.IsInLoadArena);
        Assert.That(inArena > 0, Is.EqualTo(arena && OperatingSystem.IsLinux()), $"columns in the load's arena (arena: {arena})");
        return world;
    }

    private static Entity[] Rows(Query query)
    {
        var entities = new List<Entity>();
        foreach (var chunk in query.Chunks())
        {
            entities.AddRange(chunk.Entities);
        }

        return [.. entities];
    }
}
