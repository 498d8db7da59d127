using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Layout.Segments;
using static SimHost.Tests.Host.Offload.OffloadTestSupport;

namespace SimHost.Tests.Host.Offload;

/// <summary>
/// A snapshot skips re-copying entity handles the segment already holds, and copies them again whenever it cannot be
/// sure: after a failed range, after a structural change, and on a fresh segment generation.
/// </summary>
public sealed class SnapshotEntityReuseTests
{
    private const ulong Scribbled = 0xDEAD_BEEF_DEAD_BEEFUL;

    private RunDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _directory.Dispose();

    private static ulong[] Handles(Snapshot snapshot, int rows) => snapshot.Segments.Segments[0].EntityHandles[..rows].ToArray();

    private static void Scribble(Snapshot snapshot) => snapshot.Segments.Segments[0].EntityHandles[..10].Fill(Scribbled);

    [Test]
    public void AfterAFrameWhoseRangesAllSucceeded_TheHandlesAreNotCopiedAgain()
    {
        var world = new World();
        CreateHeated(world, 100);
        var snapshot = NewSnapshot(world, _directory);
        SnapshotWriter.Write(HeatQuery(world), snapshot, 1);
        snapshot.SetEntitiesTrusted(true);
        Scribble(snapshot);

        SnapshotWriter.Write(HeatQuery(world), snapshot, 2);

        Assert.That(Handles(snapshot, 10), Has.All.EqualTo(Scribbled), "trusted handles are left as they are");
    }

    [Test]
    public void AfterAFailedRange_TheHandlesAreCopiedAgain()
    {
        var world = new World();
        var entities = CreateHeated(world, 100);
        var snapshot = NewSnapshot(world, _directory);
        SnapshotWriter.Write(HeatQuery(world), snapshot, 1);
        snapshot.SetEntitiesTrusted(false);
        Scribble(snapshot);

        SnapshotWriter.Write(HeatQuery(world), snapshot, 2);

        Assert.That(Handles(snapshot, 100), Is.EqualTo(entities.Select(e => e.Value).ToArray()));
    }

    [Test]
    public void AfterAStructuralChange_TheHandlesAreCopiedAgain()
    {
        var world = new World();
        var entities = CreateHeated(world, 100);
        var snapshot = NewSnapshot(world, _directory);
        SnapshotWriter.Write(HeatQuery(world), snapshot, 1);
        snapshot.SetEntitiesTrusted(true);
        Scribble(snapshot);

        // Destroying row 0 moves the last entity into it: same row count, different entities.
        world.Destroy(entities[0]);
        SnapshotWriter.Write(HeatQuery(world), snapshot, 2);

        var expected = HeatQuery(world).Archetypes[0].Entities.ToArray().Select(e => e.Value).ToArray();
        Assert.That(Handles(snapshot, 99), Is.EqualTo(expected));
    }

    [Test]
    public void ACommitAfterAStructuralChange_StillFindsTheMovedEntities()
    {
        var world = new World();
        var entities = CreateHeated(world, 100);
        var snapshot = NewSnapshot(world, _directory);
        SnapshotWriter.Write(HeatQuery(world), snapshot, 1);
        var segment = snapshot.Segments.Segments[0];
        segment.Column<Heat>(0)[99] = new Heat(-5);
        segment.ChangedWords(0)[1] |= 1UL << (99 - 64);

        // The last entity moves into row 0 between snapshot and commit: the commit must follow it, not the row.
        world.Destroy(entities[0]);
        var result = CommitWriter.Commit(snapshot, [Slice(0, 0, 100)]);

        Assert.That(result.RowsCommitted, Is.EqualTo(1));
        Assert.That(world.Get<Heat>(entities[99]), Is.EqualTo(new Heat(-5)));
    }
}
