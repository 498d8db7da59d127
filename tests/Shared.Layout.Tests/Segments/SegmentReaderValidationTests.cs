using SimHost.Layout.Segments;

namespace SimHost.Tests.SharedLayout.Segments;

/// <summary>One corruption per test, each at the byte offsets docs/segment-format.md gives, each with its own error.</summary>
[TestFixture]
public sealed class SegmentReaderValidationTests
{
    private const int EntryComponentId = 0;
    private const int EntryElementSize = 4;
    private const int EntryLayoutHash = 8;
    private const int EntryColumnOffset = 16;

    private RunDirectory _runDirectory = null!;
    private string _path = null!;

    [SetUp]
    public void SetUp()
    {
        _runDirectory = RunDirectory.Create();
        _path = _runDirectory.SegmentPath("sample.seg");
        using var segment = SampleSegment.Create(_path, rows: 50);
    }

    [TearDown]
    public void TearDown() => _runDirectory.Dispose();

    [Test]
    public void Reader_AcceptsTheUntouchedSegment()
    {
        using var segment = SharedSegment.Open(_path, new SegmentExpectation(SampleSegment.PositionSpec));

        Assert.That(segment.RowCount, Is.EqualTo(50));
    }

    [Test]
    public void Reader_RejectsBadMagic()
    {
        SegmentFileEditor.WriteUInt64(_path, 0, 0x4F4F_4F4F_4F4F_4F4FUL);

        AssertRejected(SegmentError.BadMagic);
    }

    [Test]
    public void Reader_RejectsAnotherVersion()
    {
        SegmentFileEditor.WriteUInt32(_path, 8, 2);

        AssertRejected(SegmentError.UnsupportedVersion);
    }

    [Test]
    public void Reader_RejectsAnotherHeaderSize()
    {
        SegmentFileEditor.WriteUInt32(_path, 12, 256);

        AssertRejected(SegmentError.BadHeaderSize);
    }

    [Test]
    public void Reader_RejectsAnotherColumnEntrySize()
    {
        SegmentFileEditor.WriteUInt32(_path, 60, 64);

        AssertRejected(SegmentError.BadColumnEntrySize);
    }

    [Test]
    public void Reader_RejectsNonZeroReservedBytes()
    {
        SegmentFileEditor.WriteUInt32(_path, 120, 1);

        AssertRejected(SegmentError.ReservedNotZero);
    }

    [Test]
    public void Reader_RejectsTotalSizeThatDisagreesWithTheFile()
    {
        SegmentFileEditor.WriteUInt64(_path, 16, (ulong)SampleSegment.Plan().TotalSizeBytes + 64);

        AssertRejected(SegmentError.TotalSizeMismatch);
    }

    [Test]
    public void Reader_RejectsAFileGrownPastItsTotalSize()
    {
        SegmentFileEditor.SetLength(_path, SampleSegment.Plan().TotalSizeBytes + 64);

        AssertRejected(SegmentError.TotalSizeMismatch);
    }

    [Test]
    public void Reader_RejectsATruncatedHeader()
    {
        SegmentFileEditor.SetLength(_path, 100);

        AssertRejected(SegmentError.Truncated);
    }

    [Test]
    public void Reader_RejectsAnEmptyFile()
    {
        SegmentFileEditor.SetLength(_path, 0);

        AssertRejected(SegmentError.Truncated);
    }

    [Test]
    public void Reader_RejectsATruncatedBody()
    {
        SegmentFileEditor.SetLength(_path, SampleSegment.Plan().TotalSizeBytes / 2);

        AssertRejected(SegmentError.TotalSizeMismatch);
    }

    [Test]
    public void Reader_RejectsRowCapacityAboveTheLimit()
    {
        SegmentFileEditor.WriteUInt32(_path, 32, uint.MaxValue);

        AssertRejected(SegmentError.RowCapacityOutOfRange);
    }

    [Test]
    public void Reader_RejectsRowCountAboveCapacity()
    {
        SegmentFileEditor.WriteUInt32(_path, 36, SampleSegment.Capacity + 1);

        AssertRejected(SegmentError.RowCountExceedsCapacity);
    }

    [Test]
    public void Reader_RejectsTooManyColumns()
    {
        SegmentFileEditor.WriteUInt32(_path, 56, SegmentFormat.MaxColumns + 1);

        AssertRejected(SegmentError.ColumnCountOutOfRange);
    }

    [Test]
    public void Reader_RejectsAColumnTableRunningPastTheFile()
    {
        SegmentFileEditor.WriteUInt32(_path, 56, 200);

        AssertRejected(SegmentError.ColumnTableOutOfBounds);
    }

    [Test]
    public void Reader_RejectsAColumnTableOffsetPastTheFile()
    {
        SegmentFileEditor.WriteUInt64(_path, 64, ulong.MaxValue - 8);

        AssertRejected(SegmentError.ColumnTableOutOfBounds);
    }

    [Test]
    public void Reader_RejectsAColumnTableInsideTheHeader()
    {
        SegmentFileEditor.WriteUInt64(_path, 64, 64);

        AssertRejected(SegmentError.ColumnTableOutOfBounds);
    }

    [Test]
    public void Reader_RejectsAnEntityColumnOfTheWrongLength()
    {
        SegmentFileEditor.WriteUInt64(_path, 80, 8 * 99);

        AssertRejected(SegmentError.RegionLengthMismatch);
    }

    [Test]
    public void Reader_RejectsAColumnOffsetPastTheFile()
    {
        SegmentFileEditor.WriteUInt64(_path, SegmentFileEditor.EntryField(1, EntryColumnOffset), ulong.MaxValue - 63);

        AssertRejected(SegmentError.RegionOutOfBounds);
    }

    [Test]
    public void Reader_RejectsAMisalignedColumnOffset()
    {
        SegmentFileEditor.WriteUInt64(_path, SegmentFileEditor.EntryField(0, EntryColumnOffset), 1088 + 8);

        AssertRejected(SegmentError.MisalignedRegion);
    }

    [Test]
    public void Reader_RejectsOverlappingColumns()
    {
        // Column 1's data moved onto column 0's: both aligned and inside the file, but sharing bytes.
        SegmentFileEditor.WriteUInt64(_path, SegmentFileEditor.EntryField(1, EntryColumnOffset), 1088);

        AssertRejected(SegmentError.OverlappingRegions);
    }

    [Test]
    public void Reader_RejectsAColumnOverlappingTheEntityColumn()
    {
        SegmentFileEditor.WriteUInt64(_path, SegmentFileEditor.EntryField(0, EntryColumnOffset), 256 + 64);

        AssertRejected(SegmentError.OverlappingRegions);
    }

    [Test]
    public void Reader_RejectsAnElementSizeThatDisagreesWithTheColumnLength()
    {
        SegmentFileEditor.WriteUInt32(_path, SegmentFileEditor.EntryField(0, EntryElementSize), 16);

        AssertRejected(SegmentError.RegionLengthMismatch);
    }

    [Test]
    public void Reader_RejectsAZeroElementSize()
    {
        SegmentFileEditor.WriteUInt32(_path, SegmentFileEditor.EntryField(0, EntryElementSize), 0);

        AssertRejected(SegmentError.ElementSizeOutOfRange);
    }

    [Test]
    public void Reader_RejectsTwoColumnsForOneComponent()
    {
        SegmentFileEditor.WriteUInt32(_path, SegmentFileEditor.EntryField(1, EntryComponentId), SampleSegment.PositionSpec.ComponentId);

        AssertRejected(SegmentError.DuplicateComponent);
    }

    [Test]
    public void Reader_RejectsALayoutHashThatDisagreesWithTheCombinedHash()
    {
        SegmentFileEditor.WriteUInt64(_path, SegmentFileEditor.EntryField(0, EntryLayoutHash), 0xDEAD_BEEFUL);

        AssertRejected(SegmentError.CombinedHashMismatch);
    }

    [Test]
    public void Reader_RejectsAnUnexpectedLayoutHash()
    {
        var expected = new SegmentExpectation(SampleSegment.PositionSpec with { LayoutHash = 0xBAD });

        AssertRejected(SegmentError.LayoutHashMismatch, expected);
    }

    [Test]
    public void Reader_RejectsAnUnexpectedElementSize()
    {
        var expected = new SegmentExpectation(SampleSegment.VelocitySpec with { ElementSizeBytes = 24 });

        AssertRejected(SegmentError.ElementSizeMismatch, expected);
    }

    [Test]
    public void Reader_RejectsASegmentWithoutAnExpectedComponent()
    {
        var expected = new SegmentExpectation(SampleSegment.PositionSpec, new SegmentColumnSpec(99, 1, 4));

        AssertRejected(SegmentError.MissingComponent, expected);
    }

    [Test]
    public void Reader_ReportsAMissingFileAsUnreadable()
    {
        File.Delete(_path);

        AssertRejected(SegmentError.Unreadable);
    }

    private void AssertRejected(SegmentError error, SegmentExpectation? expected = null)
    {
        var ex = Assert.Throws<SegmentFormatException>(() => SharedSegment.Open(_path, expected).Dispose());
        Assert.Multiple(() =>
        {
            Assert.That(ex.Error, Is.EqualTo(error), ex.Message);
            Assert.That(ex.SegmentPath, Is.EqualTo(_path));
            Assert.That(ex.Message, Does.Contain(_path));
            Assert.That(ex.Message, Does.Not.Contain('\n'));
        });
    }
}
