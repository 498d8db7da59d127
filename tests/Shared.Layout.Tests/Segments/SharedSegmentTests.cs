using System.Runtime.Versioning;
using SimHost.Layout.Segments;

namespace SimHost.Tests.SharedLayout.Segments;

// Segment files and run directories rely on Unix file modes; the product runs on Linux.
[TestFixture]
[UnsupportedOSPlatform("windows")]
public sealed class SharedSegmentTests
{
    private RunDirectory _runDirectory = null!;
    private string _path = null!;

    [SetUp]
    public void SetUp()
    {
        _runDirectory = RunDirectory.Create();
        _path = _runDirectory.SegmentPath("sample.seg");
    }

    [TearDown]
    public void TearDown() => _runDirectory.Dispose();

    [Test]
    public void Create_MakesAFileOnlyItsOwnerCanReadAndWrite()
    {
        using var segment = SampleSegment.Create(_path, rows: 10);

        Assert.That(File.GetUnixFileMode(_path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void Create_SizesTheFileToThePlan()
    {
        using var segment = SampleSegment.Create(_path, rows: 10);

        Assert.That(new FileInfo(_path).Length, Is.EqualTo(segment.SizeBytes));
        Assert.That(segment.SizeBytes, Is.EqualTo(SampleSegment.Plan().TotalSizeBytes));
    }

    [Test]
    public void Create_RefusesToOverwriteAnExistingFile()
    {
        File.WriteAllText(_path, "someone else's");

        Assert.That(() => SharedSegment.Create(_path, SampleSegment.Plan()), Throws.InstanceOf<IOException>());
        Assert.That(File.ReadAllText(_path), Is.EqualTo("someone else's"));
    }

    [Test]
    public void Open_SeesWhatAnotherMappingOfTheSameFileWrote()
    {
        using var writer = SampleSegment.Create(_path, rows: 73);
        using var reader = SharedSegment.Open(_path, new SegmentExpectation(SampleSegment.PositionSpec, SampleSegment.VelocitySpec));

        Assert.Multiple(() =>
        {
            Assert.That(reader.RowCount, Is.EqualTo(73));
            Assert.That(reader.FrameId, Is.EqualTo(42UL));
            Assert.That(reader.JobSequence, Is.EqualTo(1000UL));
            Assert.That(reader.RowCapacity, Is.EqualTo(SampleSegment.Capacity));
            Assert.That(EntityHandle.FromValue(reader.EntityHandles[72]), Is.EqualTo(new EntityHandle(216, 2)));
            Assert.That(reader.Column<SampleSegment.Position>(0)[5], Is.EqualTo(new SampleSegment.Position(5, 2.5f, -5)));
            Assert.That(SampleSegment.Checksum(reader), Is.EqualTo(SampleSegment.Checksum(writer)));
        });
    }

    [Test]
    public void WritesThroughTheReadersMapping_AreVisibleToTheWriter()
    {
        using var writer = SampleSegment.Create(_path, rows: 10);
        using var reader = SharedSegment.Open(_path);

        reader.Column<SampleSegment.Velocity>(1)[3] = new SampleSegment.Velocity(-1, -2);
        reader.ChangedWords(1)[0] |= 1UL << 3;
        reader.JobSequence = 1001;

        Assert.Multiple(() =>
        {
            Assert.That(writer.Column<SampleSegment.Velocity>(1)[3], Is.EqualTo(new SampleSegment.Velocity(-1, -2)));
            Assert.That(writer.ChangedWords(1)[0], Is.EqualTo(1UL << 3));
            Assert.That(writer.JobSequence, Is.EqualTo(1001UL));
        });
    }

    [Test]
    public void Spans_CoverExactlyTheCapacity()
    {
        using var segment = SampleSegment.Create(_path, rows: 0);

        Assert.Multiple(() =>
        {
            Assert.That(segment.EntityHandles.Length, Is.EqualTo(SampleSegment.Capacity));
            Assert.That(segment.ColumnBytes(0).Length, Is.EqualTo(SampleSegment.Capacity * 12));
            Assert.That(segment.Column<SampleSegment.Velocity>(1).Length, Is.EqualTo(SampleSegment.Capacity));
            Assert.That(segment.ChangedWords(0).Length, Is.EqualTo(2));
        });
    }

    [Test]
    public void Column_RejectsAStructOfTheWrongSize()
    {
        using var segment = SampleSegment.Create(_path, rows: 0);

        Assert.That(() => segment.Column<SampleSegment.Velocity>(0), Throws.ArgumentException);
    }

    [TestCase(-1)]
    [TestCase(2)]
    public void ColumnAccess_RejectsAnIndexOutsideTheTable(int columnIndex)
    {
        using var segment = SampleSegment.Create(_path, rows: 0);

        Assert.That(() => segment.ColumnBytes(columnIndex), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => segment.ChangedWords(columnIndex), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void RowCount_RejectsMoreRowsThanTheCapacity()
    {
        using var segment = SampleSegment.Create(_path, rows: 0);

        Assert.That(() => segment.RowCount = SampleSegment.Capacity + 1, Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void RowCount_ThrowsFormatErrorWhenAnotherProcessStoredTooManyRows()
    {
        using var segment = SampleSegment.Create(_path, rows: 0);
        using (var stream = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            SegmentFileEditor.WriteUInt32(stream, 36, SampleSegment.Capacity + 1);
        }

        var ex = Assert.Throws<SegmentFormatException>(() => _ = segment.RowCount);
        Assert.That(ex.Error, Is.EqualTo(SegmentError.RowCountExceedsCapacity));
    }

    [Test]
    public void FindColumn_ReturnsTheIndexOrMinusOne()
    {
        using var segment = SampleSegment.Create(_path, rows: 0);

        Assert.Multiple(() =>
        {
            Assert.That(segment.FindColumn(SampleSegment.VelocitySpec.ComponentId), Is.EqualTo(1));
            Assert.That(segment.FindColumn(12345), Is.EqualTo(-1));
            Assert.That(segment.FindColumnByLayoutHash(SampleSegment.PositionSpec.LayoutHash), Is.Zero);
            Assert.That(segment.FindColumnByLayoutHash(1), Is.EqualTo(-1));
        });
    }

    [Test]
    public void Dispose_MakesFurtherSpanAccessThrow()
    {
        var segment = SampleSegment.Create(_path, rows: 0);
        segment.Dispose();

        Assert.That(() => segment.EntityHandles.Length, Throws.InstanceOf<ObjectDisposedException>());
    }
}
