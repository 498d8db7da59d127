using SimHost.Host.Ecs;
using SimHost.Host.Persistence;
using SimHost.Host.Simulation;
using SimHost.Physics;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// A store keeps the first checkpoint it removes as a hidden spare and writes the next checkpoint over its files:
/// never more than the kept checkpoints are listed, the new one loads as the world it was written from, files the new
/// one does not have are gone from it, and the spare is deleted at the run's end.
/// </summary>
public sealed class CheckpointStoreSpareTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("simhost-spare-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void TheCheckpointRemoved_BecomesTheSpare_AndTheNextIsWrittenOverItsFiles()
    {
        var store = new CheckpointStore(_directory, kept: 1);
        store.Write(1, Content(Seeded(2000, seed: 1)));
        Assert.That(Spares(), Is.Empty, "nothing removed yet");

        store.Write(2, Content(Seeded(2000, seed: 2)));
        var spare = Spares().Single();
        var inode = HardLinks.Inode(Path.Combine(spare, CheckpointFileNames.Archetype(1)));

        var third = Seeded(2000, seed: 3);
        store.Write(3, Content(third));

        var newest = CheckpointStore.Newest(_directory)!;
        var loaded = new World();
        WorldCheckpoint.Load(newest, loaded);
        Assert.Multiple(() =>
        {
            Assert.That(CheckpointStore.List(_directory).Select(static c => c.Frame), Is.EqualTo(new long[] { 3 }));
            Assert.That(HardLinks.Inode(Path.Combine(newest, CheckpointFileNames.Archetype(1))), Is.EqualTo(inode), "written over the spare's file");
            Assert.That(Spares(), Has.Count.EqualTo(1), "checkpoint 2 is the next spare");
            Assert.That(Checksum(loaded), Is.EqualTo(Checksum(third)));
        });

        Assert.That(store.RemoveSpare(), Is.True);
        Assert.That(Spares(), Is.Empty);
        Assert.That(store.RemoveSpare(), Is.False, "a second call finds none");
    }

    [Test]
    public void FilesTheNewCheckpointDoesNotHave_AreRemovedFromTheSpare()
    {
        var store = new CheckpointStore(_directory, kept: 1);
        var twoArchetypes = Seeded(500, seed: 1);
        twoArchetypes.Create(new Marker { Value = 7 });
        store.Write(1, Content(twoArchetypes));
        store.Write(2, Content(Seeded(500, seed: 2)));
        Assert.That(File.Exists(Path.Combine(Spares().Single(), CheckpointFileNames.Archetype(2))), "the spare has the second archetype's file");

        store.Write(3, Content(Seeded(500, seed: 3)));

        var newest = CheckpointStore.Newest(_directory)!;
        var listed = CheckpointFiles.ReadManifest(newest).Files.Select(static f => f.Name).Append(CheckpointFileNames.Manifest);
        Assert.That(Directory.GetFiles(newest).Select(Path.GetFileName), Is.EquivalentTo(listed));
        Assert.That(() => WorldCheckpoint.Load(newest, new World()), Throws.Nothing);
    }

    [Test]
    public void WithSeveralKept_OnlyTheKeptAreListed_AndOneSpareIsKept()
    {
        var store = new CheckpointStore(_directory, kept: 2);
        for (var frame = 1; frame <= 5; frame++)
        {
            store.Write(frame, Content(Seeded(300, seed: (ulong)frame)));
        }

        Assert.Multiple(() =>
        {
            Assert.That(CheckpointStore.List(_directory).Select(static c => c.Frame), Is.EqualTo(new long[] { 4, 5 }));
            Assert.That(Spares(), Has.Count.EqualTo(1));
        });
        Assert.That(store.RemoveUnfinished(), Is.EqualTo(1), "a spare a killed run left is removed by the next run");
    }

    [Test]
    public void AWriteOverTheSpareThatFails_LeavesTheKeptCheckpointWhole_AndNoHiddenFolder()
    {
        var store = new CheckpointStore(_directory, kept: 1);
        store.Write(1, Content(Seeded(1000, seed: 1)));
        var kept = Seeded(1000, seed: 2);
        store.Write(2, Content(kept));
        Assert.That(Spares(), Has.Count.EqualTo(1));

        // A file where checkpoint 3 goes: its folder, written over the spare's files, cannot be put in place.
        File.WriteAllText(Path.Combine(_directory, "checkpoint-000000000003"), "in the way");
        var error = Assert.Throws<CheckpointException>(() => store.Write(3, Content(Seeded(1000, seed: 3))));

        var loaded = new World();
        WorldCheckpoint.Load(CheckpointStore.Newest(_directory)!, loaded);
        Assert.Multiple(() =>
        {
            Assert.That(error!.Error, Is.EqualTo(CheckpointError.Unwritable));
            Assert.That(CheckpointStore.List(_directory).Select(static c => c.Frame), Is.EqualTo(new long[] { 2 }));
            Assert.That(Checksum(loaded), Is.EqualTo(Checksum(kept)));
            Assert.That(Directory.GetDirectories(_directory, ".*"), Is.Empty, "the spare was taken and its remains removed");
        });
    }

    private static World Seeded(int count, ulong seed)
    {
        var world = new World();
        ParticlesModule.Seed(world, count, seed, PhysicsParameters.Default);
        return world;
    }

    private static CheckpointContent Content(World world) => new(world.CaptureImage(), null, new Dictionary<string, string>());

    private static string Checksum(World world) => WorldChecksum.Format(WorldChecksum.Compute(world));

    private List<string> Spares() => [.. Directory.GetDirectories(_directory, ".checkpoint-*.old-*")];

    private struct Marker
    {
        public int Value;
    }
}
