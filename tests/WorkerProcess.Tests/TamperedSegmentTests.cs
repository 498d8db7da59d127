using SimHost.Layout.Components;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;
using SimHost.Layout.Segments;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;
using SimHost.Worker;

namespace SimHost.Tests.WorkerProcess;

/// <summary>A worker keeps its mappings across jobs, but never trusts a header rewritten under one.</summary>
public sealed class TamperedSegmentTests
{
    private const uint Generation = 3;
    private string _segmentPath = null!;
    private SharedSegment _segment = null!;
    private SegmentCache _segments = null!;
    private JobExecutor _executor = null!;

    [SetUp]
    public unsafe void SetUp()
    {
        _segmentPath = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"simhost-tamper-{Guid.NewGuid():N}.seg");
        SegmentColumnSpec[] columns =
        [
            new(1, ComponentLayout.Of<Position>().Hash, sizeof(Position)),
            new(2, ComponentLayout.Of<Velocity>().Hash, sizeof(Velocity)),
        ];
        _segment = SharedSegment.Create(_segmentPath, SegmentLayoutPlanner.Plan(columns, 128));
        _segment.RowCount = 128;
        var catalog = JobCatalog.FromAssemblies([typeof(IntegrateJob).Assembly]);
        _segments = new SegmentCache(catalog.ComponentLayouts);
        _executor = new JobExecutor(catalog, _segments, Serilog.Core.Logger.None);
    }

    [TearDown]
    public void TearDown()
    {
        _segments.Dispose();
        _segment.Dispose();
        File.Delete(_segmentPath);
    }

    private ProtocolMessage Integrate() =>
        _executor.Execute(new JobStartMessage(new JobRange
        {
            FrameId = 1,
            JobName = IntegrateJob.JobName,
            SegmentPath = _segmentPath,
            SegmentGeneration = Generation,
            RowCount = 64,
            DeltaTime = 0.1,
            WritableColumns = 0b01,
        }));

    private void WriteIntoFile(long offset, uint value)
    {
        using var stream = new FileStream(_segmentPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        stream.Position = offset;
        stream.Write(BitConverter.GetBytes(value));
    }

    [Test]
    public void VersionRewrittenUnderAKeptMapping_FailsTheNextJob_WithoutANewGeneration()
    {
        Assert.That(Integrate(), Is.TypeOf<JobDoneMessage>(), "the first job maps and validates the segment");

        WriteIntoFile(offset: 8, value: 99); // the format version

        var reply = Integrate();
        Assert.That(reply, Is.TypeOf<JobFailedMessage>());
        Assert.That(((JobFailedMessage)reply).ErrorText, Does.StartWith(JobExecutor.SegmentRejectedPrefix));
    }

    [Test]
    public void ColumnTableRewrittenUnderAKeptMapping_FailsTheNextJob()
    {
        Assert.That(Integrate(), Is.TypeOf<JobDoneMessage>());

        // The first entry's element size: a worker reading 16-byte positions from a 12-byte column reads garbage.
        WriteIntoFile(_segment.Plan.ColumnTableOffset + 4, 16);

        Assert.That(Integrate(), Is.TypeOf<JobFailedMessage>());
    }

    [Test]
    public void TheHostsOwnPerFrameFields_DoNotCountAsTampering()
    {
        Assert.That(Integrate(), Is.TypeOf<JobDoneMessage>());

        _segment.RowCount = 100;
        _segment.FrameId = 42;
        _segment.JobSequence = 7;

        Assert.That(Integrate(), Is.TypeOf<JobDoneMessage>());
        Assert.That(_segment.IsLayoutIntact(), Is.True);
    }
}
