using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Tests.Host.Ecs;
using static SimHost.Tests.Host.Offload.OffloadTestSupport;

namespace SimHost.Tests.Host.Offload;

/// <summary>
/// The snapshot copy and the commit split over the world's threads write exactly what one thread writes: the same
/// segment bytes, the same world values, the same change ticks, the same counts.
/// </summary>
public sealed class ParallelSnapshotCommitTests
{
    // Three archetypes of odd sizes, none a multiple of 64, enough rows in all to be cut into pieces; segments of
    // 1 MiB hold fewer rows than that, so runs also end at segment borders.
    private static readonly int[] s_archetypeRows = [70_001, 33_333, 100_003];

    private RunDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public void SnapshotAndCommit_OnTwoOrThreeThreads_WriteWhatOneThreadWrites()
    {
        var serial = RunFrame(threadCount: 1);
        Assert.That(serial.SegmentCount, Is.GreaterThan(1), "the rows must span several segments");
        Assert.That(serial.Result.RowsCommitted, Is.GreaterThan(0));
        AssertMatchesModel(serial);

        foreach (var threadCount in new[] { 2, 3 })
        {
            var parallel = RunFrame(threadCount);
            Assert.That(parallel.SegmentBytes, Is.EqualTo(serial.SegmentBytes), $"snapshot bytes on {threadCount} threads");
            Assert.That(parallel.Heat, Is.EqualTo(serial.Heat), $"committed values on {threadCount} threads");
            Assert.That(parallel.Ticks, Is.EqualTo(serial.Ticks), $"change ticks on {threadCount} threads");
            Assert.That(parallel.LastChangedTicks, Is.EqualTo(serial.LastChangedTicks), $"last changed ticks on {threadCount} threads");
            Assert.That(parallel.Result, Is.EqualTo(serial.Result), $"commit counts on {threadCount} threads");
        }
    }

    [Test]
    public void Commit_OfAComponentChangedOnEveryRow_InSeveralRanges_StampsItsTicksLazily()
    {
        using var threads = new QueryThreads(2);
        var world = new World { Threads = threads };
        var entities = CreateHeated(world, 100_000);
        var snapshot = NewSnapshot(world, _directory);
        SnapshotWriter.Write(HeatQuery(world), snapshot, frameId: 1);
        for (var row = 0; row < entities.Length; row++)
        {
            WriteAndFlag(snapshot, row, -row);
        }

        world.AdvanceTick();
        var ranges = new List<JobRange>();
        RangeSplitter.Split(WholeSegments(snapshot), slots: 2, ranges);
        var result = CommitWriter.Commit(snapshot, [.. ranges]);

        var column = world.Archetypes[world.RecordOf(entities[0]).ArchetypeId].GetColumn(ComponentType.Of<Heat>().Id);
        Assert.That(ranges, Has.Count.EqualTo(2));
        Assert.That(result.RowsCommitted, Is.EqualTo(entities.Length));
        Assert.That(column.HasDeferredStamp, Is.True, "a column committed whole in two ranges is stamped once, lazily");
        Assert.That(column.ChangedTicks[..entities.Length].ToArray(), Is.All.EqualTo(world.ChangeTick));
        Assert.That(HeatOf(world, entities), Is.EqualTo(Enumerable.Range(0, entities.Length).Select(i => -i).ToArray()));
    }

    private static void AssertMatchesModel(FrameOutcome outcome)
    {
        for (var i = 0; i < outcome.Heat.Length; i++)
        {
            var original = outcome.OriginalHeat[i];
            var flagged = IsFlagged(original);
            Assert.That(outcome.Heat[i], Is.EqualTo(flagged ? NewHeat(original) : original), $"entity {i}");
            Assert.That(outcome.Ticks[i], Is.EqualTo(flagged ? outcome.CommitTick : outcome.CommitTick - 1), $"entity {i}'s tick");
        }
    }

    // The first archetype is flagged on every row (a whole-column commit), the second on a scattered two thirds, the
    // third on a few rows only.
    private static bool IsFlagged(int originalHeat) => (originalHeat / 1_000_000) switch
    {
        0 => true,
        1 => (int)((uint)(originalHeat * -1640531535) >> 7) % 3 != 0,
        _ => originalHeat % 4099 == 0,
    };

    private static int NewHeat(int originalHeat) => -originalHeat - 1;

    private FrameOutcome RunFrame(int threadCount)
    {
        using var threads = new QueryThreads(threadCount);
        var world = new World { Threads = threads };
        var entities = new List<Entity>();
        var originals = new List<int>();
        for (var archetype = 0; archetype < s_archetypeRows.Length; archetype++)
        {
            for (var i = 0; i < s_archetypeRows[archetype]; i++)
            {
                var heat = new Heat((archetype * 1_000_000) + i);
                originals.Add(heat.Value);
                entities.Add(archetype switch
                {
                    0 => world.Create(heat, new Rate(i)),
                    1 => world.Create(heat, new Rate(i), new Marked(1)),
                    _ => world.Create(heat, new Rate(i), new Health(i)),
                });
            }
        }

        // Every row's tick is the one before the commit's, so a stamped row is told from an unstamped one.
        world.AdvanceTick();
        foreach (var chunk in HeatQuery(world).Chunks())
        {
            chunk.MarkChanged<Heat>();
        }

        using var segments = new OffloadSegments($"heat{threadCount}", HeatColumns(), _directory, new SegmentLimits(1 << 20, 1L << 30));
        var snapshot = new Snapshot(world, segments);
        SnapshotWriter.Write(HeatQuery(world), snapshot, frameId: 3);
        var segmentBytes = new List<byte[]>();
        foreach (var segment in snapshot.Segments.Segments)
        {
            var rows = segment.RowCount;
            segmentBytes.Add([
                .. System.Runtime.InteropServices.MemoryMarshal.AsBytes(segment.EntityHandles[..rows]),
                .. segment.ColumnBytes(0)[..(rows * sizeof(int))],
                .. segment.ColumnBytes(1)[..(rows * sizeof(int))],
                .. System.Runtime.InteropServices.MemoryMarshal.AsBytes(segment.ChangedWords(0)[..SegmentFormat.ChangedWordCount(rows)]),
            ]);

            // What a job would do: change the flagged rows, and scribble over an unflagged one, which must not commit.
            var heat = segment.Column<Heat>(0);
            var words = segment.ChangedWords(0);
            for (var row = 0; row < rows; row++)
            {
                var original = heat[row].Value;
                heat[row] = new Heat(IsFlagged(original) ? NewHeat(original) : int.MaxValue);
                if (IsFlagged(original))
                {
                    words[row / 64] |= 1UL << (row % 64);
                }
            }
        }

        world.AdvanceTick();
        var ranges = new List<JobRange>();
        RangeSplitter.Split(WholeSegments(snapshot), threadCount, ranges);
        var result = CommitWriter.Commit(snapshot, [.. ranges]);

        var ticks = new uint[entities.Count];
        for (var i = 0; i < entities.Count; i++)
        {
            ref var record = ref world.RecordOf(entities[i]);
            var column = world.Archetypes[record.ArchetypeId].GetColumn(ComponentType.Of<Heat>().Id);
            ticks[i] = column.ChangedTicks[record.Row];
        }

        var lastChanged = new List<uint>();
        foreach (var chunk in HeatQuery(world).Chunks())
        {
            lastChanged.Add(chunk.Archetype.GetColumn(ComponentType.Of<Heat>().Id).LastChangedTick);
        }

        return new FrameOutcome(
            snapshot.Segments.Segments.Length, segmentBytes, HeatOf(world, [.. entities]), [.. originals], ticks, lastChanged, result, world.ChangeTick);
    }

    private sealed record FrameOutcome(
        int SegmentCount, List<byte[]> SegmentBytes, int[] Heat, int[] OriginalHeat, uint[] Ticks, List<uint> LastChangedTicks, CommitResult Result, uint CommitTick);
}
