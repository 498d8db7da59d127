using CsCheck;
using SimHost.Layout.Segments;

namespace SimHost.Tests.SharedLayout.Segments;

[TestFixture]
public sealed class SegmentLayoutPlannerTests
{
    [Test]
    public void Plan_PlacesTheSampleSegmentAsDocumented()
    {
        // The worked example in docs/segment-format.md.
        var plan = SampleSegment.Plan();

        Assert.Multiple(() =>
        {
            Assert.That(plan.ColumnTableOffset, Is.EqualTo(128));
            Assert.That(plan.EntityColumnOffset, Is.EqualTo(256));
            Assert.That(plan.EntityColumnLengthBytes, Is.EqualTo(800));
            Assert.That(plan.Columns[0], Is.EqualTo(new SegmentColumn(7, 0x1111_2222_3333_4444UL, 12, 1088, 1200, 2304, 16)));
            Assert.That(plan.Columns[1], Is.EqualTo(new SegmentColumn(9, 0x5555_6666_7777_8888UL, 16, 2368, 1600, 3968, 16)));
            Assert.That(plan.TotalSizeBytes, Is.EqualTo(4032));
            Assert.That(plan.ChangedWordCount, Is.EqualTo(2));
        });
    }

    [Test]
    public void Plan_RegionsAreAlignedInsideTheFileAndDisjoint_ForAnyColumnsAndCapacity()
    {
        var genSpec = Gen.Select(Gen.Int[1, 200], Gen.ULong, (size, hash) => (size, hash));
        var gen = Gen.Select(genSpec.Array[0, 12], Gen.Int[0, 5000]);

        gen.SampleSeeded(
            sample =>
            {
                var (specs, capacity) = sample;
                var columns = new SegmentColumnSpec[specs.Length];
                for (int i = 0; i < specs.Length; i++)
                {
                    columns[i] = new SegmentColumnSpec((uint)(i + 1), specs[i].hash, specs[i].size);
                }

                var plan = SegmentLayoutPlanner.Plan(columns, capacity);
                AssertWellFormed(plan, columns, capacity);
            },
            iterations: 500);
    }

    [Test]
    public void RequiredBytes_EqualsThePlansTotalSize()
    {
        Assert.That(
            SegmentLayoutPlanner.RequiredBytes([SampleSegment.PositionSpec, SampleSegment.VelocitySpec], 100),
            Is.EqualTo(SampleSegment.Plan().TotalSizeBytes));
    }

    [Test]
    public void Plan_WithNoColumnsAndNoRows_IsHeaderOnly()
    {
        var plan = SegmentLayoutPlanner.Plan([], 0);

        Assert.That(plan.TotalSizeBytes, Is.EqualTo(SegmentFormat.HeaderSizeBytes));
    }

    [Test]
    public void Plan_RejectsDuplicateComponentIds()
    {
        Assert.That(
            () => SegmentLayoutPlanner.Plan([SampleSegment.PositionSpec, SampleSegment.PositionSpec with { LayoutHash = 1 }], 10),
            Throws.ArgumentException);
    }

    [TestCase(0)]
    [TestCase(-4)]
    [TestCase(SegmentFormat.MaxElementSizeBytes + 1)]
    public void Plan_RejectsElementSizesOutsideTheLimits(int elementSize)
    {
        Assert.That(
            () => SegmentLayoutPlanner.Plan([new SegmentColumnSpec(1, 1, elementSize)], 10),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Plan_RejectsColumnsLargerThanOneSpan()
    {
        Assert.That(
            () => SegmentLayoutPlanner.Plan([new SegmentColumnSpec(1, 1, 4096)], 1 << 20),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Plan_RejectsNegativeCapacity()
    {
        Assert.That(() => SegmentLayoutPlanner.Plan([], -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private static void AssertWellFormed(SegmentPlan plan, SegmentColumnSpec[] columns, int capacity)
    {
        var regions = new List<(long Start, long Length)>
        {
            (0, SegmentFormat.HeaderSizeBytes),
            (plan.ColumnTableOffset, (long)columns.Length * SegmentFormat.ColumnEntrySizeBytes),
            (plan.EntityColumnOffset, (long)capacity * 8),
        };
        for (int i = 0; i < columns.Length; i++)
        {
            var column = plan.Columns[i];
            Assert.That(column.Spec, Is.EqualTo(columns[i]));
            Assert.That(column.ColumnLengthBytes, Is.EqualTo((long)capacity * columns[i].ElementSizeBytes));
            Assert.That(column.ChangedLengthBytes, Is.EqualTo(((capacity + 63) / 64) * 8L));
            regions.Add((column.ColumnOffset, column.ColumnLengthBytes));
            regions.Add((column.ChangedOffset, column.ChangedLengthBytes));
        }

        Assert.That(plan.TotalSizeBytes % SegmentFormat.Alignment, Is.Zero);
        regions.Sort((a, b) => a.Start.CompareTo(b.Start));
        long previousEnd = 0;
        foreach (var (start, length) in regions)
        {
            Assert.That(start % SegmentFormat.Alignment, Is.Zero, "region start is 64-byte aligned");
            Assert.That(start, Is.GreaterThanOrEqualTo(previousEnd), "regions do not overlap");
            Assert.That(start + length, Is.LessThanOrEqualTo(plan.TotalSizeBytes), "region lies inside the file");
            previousEnd = Math.Max(previousEnd, start + length);
        }
    }
}
