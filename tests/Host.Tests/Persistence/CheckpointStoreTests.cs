using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Persistence;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// A run's checkpoints: the newest K are kept, and the first one past them is retired as a hidden spare whose files
/// the next checkpoint overwrites in place. Whatever the spare held, each new checkpoint holds exactly its own world.
/// </summary>
public sealed class CheckpointStoreTests
{
    private static readonly Dictionary<string, string> s_run = [];
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Path.Combine(Path.GetTempPath(), $"simhost-store-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public void CheckpointsWrittenOverARetiredOne_LoadAsTheirOwnWorld_AsTheWorldGrowsShrinksEmptiesAndIsReplaced()
    {
        var store = new CheckpointStore(_folder, kept: 1);
        var module = new ChurnModule();
        var world = new World();
        module.Seed(world, ModuleContext.For(module, seed: 4, entities: 900));

        // Each step changes the world's shape: grown, shrunk (files shorter than the spare's), emptied, reseeded, and
        // replaced by a world of fewer archetypes (the spare then holds a file the new checkpoint does not have).
        var steps = new Action[]
        {
            () => world.Add(new Entity(3, 1), new ChurnModule.Seen(1)),
            () => module.Seed(world, ModuleContext.For(module, seed: 5, entities: 600)),
            () => DestroyWhere(world, e => e.Index % 2 == 0),
            () => DestroyWhere(world, _ => true),
            () => module.Seed(world, ModuleContext.For(module, seed: 6, entities: 50)),
            () => world = FewerArchetypes(),
            () => world.Create(new ChurnModule.Energy(3)),
        };
        for (var frame = 0; frame < steps.Length; frame++)
        {
            steps[frame]();
            world.AdvanceTick();
            var path = store.Write(frame + 1, new CheckpointContent(world.CaptureImage(), null, s_run));

            _ = CheckpointFiles.ReadDirectory(path);
            var listed = CheckpointFiles.ReadManifest(path).Files.Select(file => file.Name).Append(CheckpointFileNames.Manifest).Order(StringComparer.Ordinal);
            var loaded = new World();
            WorldCheckpoint.Load(path, loaded);
            Assert.Multiple(() =>
            {
                Assert.That(Directory.GetFiles(path).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(listed), $"frame {frame + 1}: the files are the manifest's, no leftover of the spare");
                Assert.That(WorldChecksum(loaded), Is.EqualTo(WorldChecksum(world)), $"frame {frame + 1}: the loaded world");
                Assert.That(CheckpointStore.List(_folder).Select(c => c.Frame).Single(), Is.EqualTo(frame + 1), "one complete checkpoint kept");
            });
        }

        Assert.That(Directory.GetDirectories(_folder).Select(Path.GetFileName), Has.Some.StartsWith(".checkpoint-spare"), "a retired checkpoint is kept for the next write");
        store.RemoveSpare();
        Assert.That(Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).Single(), Is.EqualTo("checkpoint-000000000007"), "only the newest checkpoint is left");
    }

    [Test]
    public void ASpareLeftByAKilledRun_IsRemovedAtTheNextStart()
    {
        var store = new CheckpointStore(_folder, kept: 1);
        var world = new World();
        new ChurnModule().Seed(world, ModuleContext.For(new ChurnModule(), seed: 2, entities: 100));
        store.Write(1, new CheckpointContent(world.CaptureImage(), null, s_run));
        store.Write(2, new CheckpointContent(world.CaptureImage(), null, s_run));

        var removed = new CheckpointStore(_folder, kept: 1).RemoveUnfinished();

        Assert.Multiple(() =>
        {
            Assert.That(removed, Is.EqualTo(1), "the spare");
            Assert.That(Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).Single(), Is.EqualTo("checkpoint-000000000002"));
        });
    }

    private static World FewerArchetypes()
    {
        var world = new World();
        for (var i = 0; i < 40; i++)
        {
            world.Create(new ChurnModule.Energy(i));
        }

        return world;
    }

    private static void DestroyWhere(World world, Func<Entity, bool> predicate)
    {
        var doomed = new List<Entity>();
        foreach (var archetype in world.Archetypes)
        {
            doomed.AddRange(archetype.Entities.ToArray().Where(predicate));
        }

        foreach (var entity in doomed)
        {
            world.Destroy(entity);
        }
    }

    private static string WorldChecksum(World world) =>
        global::SimHost.Host.Simulation.WorldChecksum.Format(global::SimHost.Host.Simulation.WorldChecksum.Compute(world));
}
