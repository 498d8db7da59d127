using SimHost.Layout.Components;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Tests.SharedLayout.Jobs;

public sealed class JobContextTests
{
    private string _directory = null!;
    private SharedSegment _segment = null!;

    [SetUp]
    public void CreateSegment()
    {
        _directory = Directory.CreateTempSubdirectory("simhost-jobs-").FullName;
        var columns = new[]
        {
            new SegmentColumnSpec(1, ComponentLayout.Of<Heat>().Hash, sizeof(float)),
            new SegmentColumnSpec(2, ComponentLayout.Of<Mass>().Hash, sizeof(double)),
        };
        _segment = SharedSegment.Create(Path.Combine(_directory, "jobs.seg"), SegmentLayoutPlanner.Plan(columns, 256));
        _segment.RowCount = 200;
        var heat = _segment.Column<Heat>(0);
        var mass = _segment.Column<Mass>(1);
        var entities = _segment.EntityHandles;
        for (var row = 0; row < 200; row++)
        {
            heat[row].Value = row % 3 == 0 ? 0f : row;
            mass[row].Kilograms = 0.5;
            entities[row] = new EntityHandle((uint)row, 1).Value;
        }
    }

    [TearDown]
    public void DeleteSegment()
    {
        _segment.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static JobRange Range(int start, int count, ulong writable = 0b01) =>
        new() { RowStart = start, RowCount = count, WritableColumns = writable, FrameId = 7, DeltaTime = 0.25, Time = 10 };

    [Test]
    public void Run_WritesOnlyItsRange_AndCountsTheRowsItFlagged()
    {
        var result = JobRunner.Run(new DoubleHeatJob(), _segment, Range(64, 64));

        var heat = _segment.Column<Heat>(0);
        var expectedChanged = 0;
        for (var row = 0; row < 200; row++)
        {
            var original = row % 3 == 0 ? 0f : row;
            var inRange = row is >= 64 and < 128 && original != 0f;
            expectedChanged += inRange ? 1 : 0;
            Assert.That(heat[row].Value, Is.EqualTo(inRange ? (original * 2f) + 0.5f : original), $"row {row}");
            var flagged = (_segment.ChangedWords(0)[row / 64] & (1UL << (row % 64))) != 0;
            Assert.That(flagged, Is.EqualTo(inRange), $"changed bit of row {row}");
        }

        Assert.That(result.RowsChanged, Is.EqualTo(expectedChanged));
    }

    [Test]
    public void Run_ClearsItsRangesStaleChangedBits_AndNoOthers()
    {
        // Left over from an earlier run (a failed attempt, or last frame in shared storage): the runner must not count them.
        var words = _segment.ChangedWords(0);
        words[0] = ulong.MaxValue;
        words[1] = ulong.MaxValue;
        words[2] = ulong.MaxValue;

        var result = JobRunner.Run(new DoubleHeatJob(), _segment, Range(64, 64));

        var heatChangedInRange = Enumerable.Range(64, 64).Count(row => row % 3 != 0);
        Assert.That(result.RowsChanged, Is.EqualTo(heatChangedInRange));
        Assert.That(System.Numerics.BitOperations.PopCount(words[1]), Is.EqualTo(heatChangedInRange), "the range's word holds the job's bits only");
        Assert.That(words[0], Is.EqualTo(ulong.MaxValue), "words of other ranges are not the runner's to clear");
        Assert.That(words[2], Is.EqualTo(ulong.MaxValue));
    }

    [Test]
    public void Spans_AreRelativeToTheRange()
    {
        var context = new JobContext(_segment, Range(128, 72));

        Assert.That(context.Read<Heat>().Length, Is.EqualTo(72));
        Assert.That(context.Entities[0], Is.EqualTo(new EntityHandle(128, 1)));
        Assert.That(context.Entities[^1], Is.EqualTo(new EntityHandle(199, 1)));
        Assert.That(context.DeltaTime, Is.EqualTo(0.25));
        Assert.That(context.FrameId, Is.EqualTo(7UL));
    }

    [Test]
    public void Write_OfAComponentTheSystemOnlyReads_IsRefused()
    {
        var context = new JobContext(_segment, Range(0, 64, writable: 0b01));

        Assert.That(() => context.Write<Mass>(), Throws.InvalidOperationException.With.Message.Contains("only reads"));
    }

    [Test]
    public void Read_OfAComponentNotInTheSegment_NamesIt()
    {
        var context = new JobContext(_segment, Range(0, 64));

        Assert.That(() => context.Read<Position3>(), Throws.InvalidOperationException.With.Message.Contains(nameof(Position3)));
    }

    [TestCase(1, 10)]
    [TestCase(63, 1)]
    [TestCase(192, 9)]
    [TestCase(-64, 1)]
    public void Context_RefusesAMisalignedOrOutOfBoundsRange(int start, int count) =>
        Assert.That(() => new JobContext(_segment, Range(start, count)), Throws.ArgumentException);

    [Test]
    public void ParametersAs_ReadsTheBlob_AndRefusesTheWrongSize()
    {
        var blob = BitConverter.GetBytes(3.5);
        var context = new JobContext(_segment, new JobRange { RowCount = 64, WritableColumns = 1, Parameters = blob });

        Assert.That(context.ParametersAs<double>(), Is.EqualTo(3.5));
        Assert.That(() => context.ParametersAs<float>(), Throws.InvalidOperationException.With.Message.Contains("8 bytes"));
    }

    public struct Position3
    {
        public float X;
        public float Y;
        public float Z;
    }
}
