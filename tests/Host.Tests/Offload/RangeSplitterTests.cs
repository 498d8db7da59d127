using CsCheck;
using SimHost.Host.Offload;
using SimHost.Layout.Jobs;
using static SimHost.Tests.Host.Offload.OffloadTestSupport;

namespace SimHost.Tests.Host.Offload;

public sealed class RangeSplitterTests
{
    [Test]
    public void Split_GivesOneAlignedRangePerSlot()
    {
        var ranges = new List<JobRange>();

        RangeSplitter.Split([Slice(0, 0, 1000)], 4, ranges);

        Assert.That(ranges, Is.EqualTo(new[] { Slice(0, 0, 256), Slice(0, 256, 256), Slice(0, 512, 256), Slice(0, 768, 232) }));
    }

    [Test]
    public void Split_OfNoRows_GivesNoRanges()
    {
        var ranges = new List<JobRange> { Slice(0, 0, 1) };

        RangeSplitter.Split([Slice(0, 0, 0), Slice(1, 0, 0)], 3, ranges);

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
                var ranges = new List<JobRange>();
                RangeSplitter.Split(rowsPerSegment.Select((rows, i) => Slice(i, 0, rows)).ToArray(), slots, ranges);

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
