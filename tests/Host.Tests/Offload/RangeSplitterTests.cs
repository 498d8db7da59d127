using CsCheck;
using SimHost.Host.Offload;

namespace SimHost.Tests.Host.Offload;

public sealed class RangeSplitterTests
{
    [Test]
    public void Split_GivesOneAlignedRangePerSlot()
    {
        var ranges = new List<RangeSlice>();

        RangeSplitter.Split([1000], 4, ranges);

        Assert.That(ranges, Is.EqualTo(new[] { new RangeSlice(0, 0, 256), new RangeSlice(0, 256, 256), new RangeSlice(0, 512, 256), new RangeSlice(0, 768, 232) }));
    }

    [Test]
    public void Split_OfNoRows_GivesNoRanges()
    {
        var ranges = new List<RangeSlice> { new(0, 0, 1) };

        RangeSplitter.Split([0, 0], 3, ranges);

        Assert.That(ranges, Is.Empty);
    }

    [Test]
    public void Split_CoversEveryRowOnce_WithAlignedStartsInsideOneSegment()
    {
        var segments = Gen.Int[0, 3000].Array[0, 5];
        Gen.Select(segments, Gen.Int[1, 16]).SampleSeeded(
            sample =>
            {
                var (rowsPerSegment, slots) = sample;
                var ranges = new List<RangeSlice>();
                RangeSplitter.Split(rowsPerSegment, slots, ranges);

                var nonEmptySegments = rowsPerSegment.Count(rows => rows > 0);
                var expectedNext = new int[rowsPerSegment.Length];
                var previous = (Segment: -1, Row: -1);
                foreach (var range in ranges)
                {
                    if (range.RowStart % 64 != 0 || range.RowCount <= 0 || range.RowEnd > rowsPerSegment[range.SegmentIndex]
                        || range.RowStart != expectedNext[range.SegmentIndex] || (range.SegmentIndex, range.RowStart).CompareTo(previous) <= 0)
                    {
                        return false;
                    }

                    expectedNext[range.SegmentIndex] = range.RowEnd;
                    previous = (range.SegmentIndex, range.RowStart);
                }

                return expectedNext.SequenceEqual(rowsPerSegment) && ranges.Count <= slots + nonEmptySegments;
            },
            iterations: 300);
    }
}
