using System.Runtime.InteropServices;
using SimHost.Layout.Components;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Tests.SharedLayout.Jobs;

public sealed class JobRunnerTicksTests
{
    private const int Rows = 200;
    private string _directory = null!;
    private readonly List<SharedSegment> _segments = [];

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("simhost-ticks-").FullName;

    [TearDown]
    public void DeleteSegments()
    {
        foreach (var segment in _segments)
        {
            segment.Dispose();
        }

        _segments.Clear();
        Directory.Delete(_directory, recursive: true);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    public void Run_WithKTicks_EqualsKSingleTickRuns_ByteForByte(int ticks)
    {
        var single = HeatSegment("single");
        var multi = HeatSegment("multi");

        var singleRows = 0;
        for (var tick = 0; tick < ticks; tick++)
        {
            singleRows = Math.Max(singleRows, JobRunner.Run(new DoubleHeatJob(), single, Range(0, Rows, ticks: 1)).RowsChanged);
        }

        var result = JobRunner.Run(new DoubleHeatJob(), multi, Range(0, Rows, ticks));

        Assert.That(Bytes(multi.Column<Heat>(0)), Is.EqualTo(Bytes(single.Column<Heat>(0))));
        Assert.That(multi.ChangedWords(0).ToArray(), Is.EqualTo(single.ChangedWords(0).ToArray()));
        Assert.That(result.RowsChanged, Is.EqualTo(singleRows));
    }

    [Test]
    public void Context_TimeAdvancesByDeltaTimeEachTick()
    {
        var job = new TickRecordingJob();

        JobRunner.Run(job, HeatSegment("time"), Range(0, 64, ticks: 3));

        Assert.That(job.Ticks, Is.EqualTo(new[] { (0, 3, 10.0), (1, 3, 10.25), (2, 3, 10.5) }));
    }

    [Test]
    public void Run_OrsTheChangedBitsOfAllTicks()
    {
        var segment = HeatSegment("bits");

        var result = JobRunner.Run(new TickRecordingJob(), segment, Range(64, 64, ticks: 4));

        Assert.That(result.RowsChanged, Is.EqualTo(4));
        Assert.That(segment.ChangedWords(0)[1], Is.EqualTo(0b1111UL));
    }

    [Test]
    public void Read_OnLaterTicksOfALiveScratchPair_SeesWhatThePreviousTickWrote()
    {
        var columns = new[]
        {
            new SegmentColumnSpec(1, ComponentLayout.Of<Heat>().Hash, sizeof(float)),
            new SegmentColumnSpec(2, ComponentLayout.Of<Heat>().Hash, sizeof(float)),
        };
        var segment = Track(SharedSegment.Create(Path.Combine(_directory, "pair.seg"), SegmentLayoutPlanner.Plan(columns, 64)));
        segment.RowCount = 64;
        segment.Column<Heat>(0).Fill(new Heat { Value = 1f });
        segment.Column<Heat>(1).Fill(new Heat { Value = -100f });

        JobRunner.Run(new AddOneOutOfPlaceJob(), segment, new JobRange { RowCount = 64, WritableColumns = 0b10, FrameId = 1, DeltaTime = 0.25, Ticks = 3 });

        Assert.That(segment.Column<Heat>(1)[5].Value, Is.EqualTo(4f));
        Assert.That(segment.Column<Heat>(0)[5].Value, Is.EqualTo(1f));
    }

    [Test]
    public void AReusedContext_ForgetsWhatItsLastRangeWrote()
    {
        // A live/scratch pair: a job that wrote the scratch column reads it on later ticks; a job that did not must
        // keep reading the live column, even through a context that a writing job used before.
        var columns = new[]
        {
            new SegmentColumnSpec(1, ComponentLayout.Of<Heat>().Hash, sizeof(float)),
            new SegmentColumnSpec(2, ComponentLayout.Of<Heat>().Hash, sizeof(float)),
        };
        var segment = Track(SharedSegment.Create(Path.Combine(_directory, "reused.seg"), SegmentLayoutPlanner.Plan(columns, 64)));
        segment.RowCount = 64;
        segment.Column<Heat>(0).Fill(new Heat { Value = 1f });
        segment.Column<Heat>(1).Fill(new Heat { Value = -100f });
        var range = new JobRange { RowCount = 64, WritableColumns = 0b10, FrameId = 1, DeltaTime = 0.25, Ticks = 3 };
        var context = new JobContext();

        JobRunner.Run(new AddOneOutOfPlaceJob(), segment, range, context);
        var reader = new HeatReadingJob();
        var outcome = JobRunner.Run(reader, segment, range, context);

        Assert.That(segment.Column<Heat>(1)[5].Value, Is.EqualTo(4f), "the first job wrote the scratch column");
        Assert.That(reader.Seen, Is.EqualTo(new[] { (0, 1f), (1, 1f), (2, 1f) }), "the second job read the live column on every tick");
        Assert.That(outcome.RowsChanged, Is.Zero);
    }

    [Test]
    public void Context_RejectsZeroTicks()
    {
        var segment = HeatSegment("zero");

        Assert.That(() => new JobContext(segment, Range(0, 64, ticks: 0)), Throws.ArgumentException);
    }

    private static JobRange Range(int start, int count, int ticks) =>
        new() { RowStart = start, RowCount = count, WritableColumns = 0b01, FrameId = 7, DeltaTime = 0.25, Time = 10, Ticks = ticks };

    private static byte[] Bytes(Span<Heat> heat) => MemoryMarshal.AsBytes(heat).ToArray();

    private SharedSegment HeatSegment(string name)
    {
        var columns = new[]
        {
            new SegmentColumnSpec(1, ComponentLayout.Of<Heat>().Hash, sizeof(float)),
            new SegmentColumnSpec(2, ComponentLayout.Of<Mass>().Hash, sizeof(double)),
        };
        var segment = Track(SharedSegment.Create(Path.Combine(_directory, name + ".seg"), SegmentLayoutPlanner.Plan(columns, 256)));
        segment.RowCount = Rows;
        var heat = segment.Column<Heat>(0);
        var mass = segment.Column<Mass>(1);
        for (var row = 0; row < Rows; row++)
        {
            heat[row].Value = row % 3 == 0 ? 0f : row * 0.37f;
            mass[row].Kilograms = 0.1 * (row % 7);
        }

        return segment;
    }

    private SharedSegment Track(SharedSegment segment)
    {
        _segments.Add(segment);
        return segment;
    }

    /// <summary>Records each tick's index, count and time, and flags row TickIndex of the range.</summary>
    public sealed class TickRecordingJob : IJob
    {
        public List<(int Index, int Count, double Time)> Ticks { get; } = [];

        public string Name => "test.tick-recording";

        public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Heat)];

        public void Execute(JobContext context)
        {
            Ticks.Add((context.TickIndex, context.Ticks, context.Time));
            context.MarkChanged<Heat>(context.TickIndex);
        }
    }

    /// <summary>Writes read + 1 into the written column: out of place, like a shared-storage job.</summary>
    /// <summary>Records, each tick, the tick index and the Heat it reads at row 5; writes nothing.</summary>
    public sealed class HeatReadingJob : IJob
    {
        public List<(int Tick, float Heat)> Seen { get; } = [];

        public string Name => "test.heat-reading";

        public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Heat)];

        public void Execute(JobContext context) => Seen.Add((context.TickIndex, context.Read<Heat>()[5].Value));
    }

    public sealed class AddOneOutOfPlaceJob : IJob
    {
        public string Name => "test.add-one";

        public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Heat)];

        public bool WritesEveryRow => true;

        public void Execute(JobContext context)
        {
            var read = context.Read<Heat>();
            var write = context.Write<Heat>();
            for (var row = 0; row < context.RowCount; row++)
            {
                write[row].Value = read[row].Value + 1f;
            }
        }
    }
}
