using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Layout.Segments;
using static SimHost.Tests.Host.Offload.OffloadTestSupport;

namespace SimHost.Tests.Host.Offload;

public sealed class SnapshotCommitTests
{
    private RunDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public void Snapshot_CopiesEntitiesAndColumns_AndClearsWrittenBits()
    {
        var world = new World();
        var entities = CreateHeated(world, 100);
        var snapshot = NewSnapshot(world, _directory);

        var rows = SnapshotWriter.Write(HeatQuery(world), snapshot, frameId: 7);

        var segment = snapshot.Segments.Segments[0];
        Assert.That(rows, Is.EqualTo(100));
        Assert.That(segment.RowCount, Is.EqualTo(100));
        Assert.That(segment.FrameId, Is.EqualTo(7UL));
        Assert.That(segment.EntityHandles[..100].ToArray(), Is.EqualTo(entities.Select(e => e.Value).ToArray()));
        Assert.That(segment.Column<Heat>(0)[..100].ToArray(), Is.EqualTo(Enumerable.Range(0, 100).Select(i => new Heat(i)).ToArray()));
        Assert.That(segment.Column<Rate>(1)[..100].ToArray(), Is.All.EqualTo(new Rate(1)));
        Assert.That(segment.ChangedWords(0)[..2].ToArray(), Is.All.EqualTo(0UL));
    }

    [Test]
    public void Commit_WritesOnlyFlaggedRows_AndMarksThemChanged()
    {
        var world = new World();
        var entities = CreateHeated(world, 200);
        var snapshot = NewSnapshot(world, _directory);
        SnapshotWriter.Write(HeatQuery(world), snapshot, 1);
        var segment = snapshot.Segments.Segments[0];
        for (var row = 0; row < 200; row++)
        {
            segment.Column<Heat>(0)[row] = new Heat(-1);
        }

        int[] flagged = [0, 1, 63, 64, 65, 127, 128, 129, 130, 199];
        foreach (var row in flagged)
        {
            WriteAndFlag(snapshot, row, 1000 + row);
        }

        var reader = world.Query().Changed<Heat>();
        reader.Chunks().GetEnumerator().Dispose();
        world.AdvanceTick();

        var result = CommitWriter.Commit(snapshot, WholeSegments(snapshot));

        var expected = Enumerable.Range(0, 200).Select(i => flagged.Contains(i) ? 1000 + i : i).ToArray();
        Assert.That(HeatOf(world, entities), Is.EqualTo(expected));
        Assert.That(result, Is.EqualTo(new CommitResult(flagged.Length, 0)));
        var seen = new List<int>();
        foreach (var chunk in reader.Chunks())
        {
            foreach (var heat in chunk.Span<Heat>())
            {
                seen.Add(heat.Value);
            }
        }

        Assert.That(seen, Is.EquivalentTo(flagged.Select(row => 1000 + row)));
    }

    [Test]
    public void Commit_SkipsDestroyedAndStrippedEntities_AndCountsThem()
    {
        var world = new World();
        var entities = CreateHeated(world, 130);
        var snapshot = NewSnapshot(world, _directory);
        SnapshotWriter.Write(HeatQuery(world), snapshot, 1);
        for (var row = 0; row < 130; row++)
        {
            WriteAndFlag(snapshot, row, 5000 + row);
        }

        // Destroying swaps the last rows into the holes: the survivors move, and commit must follow them.
        world.Destroy(entities[3]);
        world.Remove<Heat>(entities[70]);
        var reborn = world.Create(new Heat(-7), new Rate(1));

        var result = CommitWriter.Commit(snapshot, WholeSegments(snapshot));

        var expected = Enumerable.Range(0, 130).Select(i => i is 3 or 70 ? int.MinValue : 5000 + i).ToArray();
        Assert.That(HeatOf(world, entities), Is.EqualTo(expected));
        Assert.That(result, Is.EqualTo(new CommitResult(128, 2)));
        Assert.That(world.Get<Heat>(reborn).Value, Is.EqualTo(-7), "a new entity in a reused slot is not the snapshot's entity");
    }

    [Test]
    public void Commit_OfNoSucceededRange_ChangesNothing()
    {
        var world = new World();
        var entities = CreateHeated(world, 100);
        var snapshot = NewSnapshot(world, _directory);
        SnapshotWriter.Write(HeatQuery(world), snapshot, 1);
        for (var row = 0; row < 100; row++)
        {
            WriteAndFlag(snapshot, row, -row);
        }

        var result = CommitWriter.Commit(snapshot, [Slice(0, 64, 36)]);

        var expected = Enumerable.Range(0, 100).Select(i => i >= 64 ? -i : i).ToArray();
        Assert.That(HeatOf(world, entities), Is.EqualTo(expected), "rows 0..63 belong to a range that failed");
        Assert.That(result.RowsCommitted, Is.EqualTo(36));
    }

    [Test]
    public void Snapshot_SpansManyArchetypes_AndCommitMapsEachRunBack()
    {
        var world = new World();
        var plain = CreateHeated(world, 70);
        var marked = Enumerable.Range(0, 50).Select(i => world.Create(new Heat(100 + i), new Rate(1), new Marked(1))).ToArray();
        var outsider = world.Create(new Heat(-1));
        var snapshot = NewSnapshot(world, _directory);

        var rows = SnapshotWriter.Write(HeatQuery(world), snapshot, 1);
        for (var row = 0; row < rows; row++)
        {
            WriteAndFlag(snapshot, row, snapshot.Segments.Segments[0].Column<Heat>(0)[row].Value * 2);
        }

        CommitWriter.Commit(snapshot, WholeSegments(snapshot));

        Assert.That(rows, Is.EqualTo(120));
        Assert.That(snapshot.Runs.Length, Is.EqualTo(2));
        Assert.That(HeatOf(world, plain), Is.EqualTo(Enumerable.Range(0, 70).Select(i => i * 2).ToArray()));
        Assert.That(HeatOf(world, marked), Is.EqualTo(Enumerable.Range(0, 50).Select(i => (100 + i) * 2).ToArray()));
        Assert.That(world.Get<Heat>(outsider).Value, Is.EqualTo(-1));
    }

    [Test]
    public void Snapshot_SpansSeveralSegments_WhenASegmentIsSmall()
    {
        var world = new World();
        var entities = CreateHeated(world, 1000);
        var columns = HeatColumns();
        var segmentSize = SegmentLayoutPlanner.RequiredBytes(columns.Specs, 192);
        var snapshot = NewSnapshot(world, _directory, new SegmentLimits(segmentSize, 1L << 30));

        var rows = SnapshotWriter.Write(HeatQuery(world), snapshot, 1);
        for (var row = 0; row < rows; row++)
        {
            WriteAndFlag(snapshot, row, row + 1);
        }

        var result = CommitWriter.Commit(snapshot, WholeSegments(snapshot));

        Assert.That(snapshot.Segments.RowCapacityPerSegment, Is.EqualTo(192));
        Assert.That(snapshot.Segments.Segments.Length, Is.GreaterThanOrEqualTo(6));
        Assert.That(snapshot.RowsPerSegment.ToArray().Sum(), Is.EqualTo(1000));
        Assert.That(result.RowsCommitted, Is.EqualTo(1000));
        Assert.That(HeatOf(world, entities), Is.EqualTo(Enumerable.Range(1, 1000).ToArray()));
    }

    [Test]
    public void Segments_AreReusedAcrossFrames_AndRecreatedUnderANewGenerationWhenOutgrown()
    {
        var world = new World();
        CreateHeated(world, 100);
        var snapshot = NewSnapshot(world, _directory);
        var query = HeatQuery(world);

        SnapshotWriter.Write(query, snapshot, 1);
        var first = snapshot.Segments.Segments[0];
        var firstGeneration = snapshot.Segments.Generation;
        CreateHeated(world, 20);
        SnapshotWriter.Write(query, snapshot, 2);
        var reused = snapshot.Segments.Segments[0];
        CreateHeated(world, 500);
        SnapshotWriter.Write(query, snapshot, 3);

        Assert.That(reused, Is.SameAs(first), "120 rows fit the headroom of a segment sized for 100");
        Assert.That(snapshot.Segments.Generation, Is.EqualTo(firstGeneration + 1));
        Assert.That(snapshot.Segments.RowCapacity, Is.GreaterThanOrEqualTo(620));
        Assert.That(File.Exists(first.Path), Is.False, "the outgrown segment file is deleted");
        Assert.That(snapshot.Segments.Segments[0].RowCount, Is.EqualTo(620));
    }

    [Test]
    public void Segments_BeyondTheTotalLimit_FailNamingTheBytesAndTheFlag()
    {
        var world = new World();
        CreateHeated(world, 5000);
        var snapshot = NewSnapshot(world, _directory, new SegmentLimits(1L << 20, 16 * 1024));

        var exception = Assert.Throws<SharedMemoryLimitException>(() => SnapshotWriter.Write(HeatQuery(world), snapshot, 1));

        Assert.That(exception!.Message, Does.Contain("--max-shared-memory").And.Contain("bytes").And.Contain("'heat'"));
    }

    [Test]
    public void Segments_TooSmallForOneWord_FailNamingTheSegmentSizeFlag()
    {
        var exception = Assert.Throws<SharedMemoryLimitException>(
            () => _ = new OffloadSegments("tiny", HeatColumns(), _directory, new SegmentLimits(512, 1L << 30)));

        Assert.That(exception!.Message, Does.Contain("--segment-size"));
    }
}
