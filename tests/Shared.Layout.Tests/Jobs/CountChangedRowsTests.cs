using SimHost.Layout.Components;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Tests.SharedLayout.Jobs;

/// <summary>The count a worker reports in JobDone: rows of its range with any written column flagged.</summary>
public sealed class CountChangedRowsTests
{
    // More than one 512-word block of the counter, and a last word only partly inside the range.
    private const int Rows = (600 * 64) + 37;

    private string _directory = null!;
    private SharedSegment _segment = null!;

    [SetUp]
    public void CreateSegment()
    {
        _directory = Directory.CreateTempSubdirectory("simhost-count-").FullName;
        var columns = new[]
        {
            new SegmentColumnSpec(1, ComponentLayout.Of<Heat>().Hash, sizeof(float)),
            new SegmentColumnSpec(2, ComponentLayout.Of<Mass>().Hash, sizeof(double)),
        };
        _segment = SharedSegment.Create(Path.Combine(_directory, "count.seg"), SegmentLayoutPlanner.Plan(columns, Rows + 64));
        _segment.RowCount = Rows;
    }

    [TearDown]
    public void DeleteSegment()
    {
        _segment.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static JobRange Range(int start, int count, ulong writable) =>
        new() { RowStart = start, RowCount = count, WritableColumns = writable, FrameId = 1, DeltaTime = 0.1 };

    private void Flag(int column, int row) => _segment.ChangedWords(column)[row / 64] |= 1UL << (row % 64);

    [TestCase(0b01)]
    [TestCase(0b11)]
    public void CountsTheUnionOfWrittenColumns_InsideTheRangeOnly(int writable)
    {
        var heatRows = new[] { 0, 63, 64, 5000, 32767, 32768, 32769, Rows - 1 };
        var massRows = new[] { 63, 100, 32768, 38000, Rows - 2 };
        foreach (var row in heatRows)
        {
            Flag(0, row);
        }

        foreach (var row in massRows)
        {
            Flag(1, row);
        }

        // Bits past the range's last row, in the same word, belong to no row of it.
        Flag(0, Rows + 3);
        Flag(1, Rows + 5);
        var range = Range(64, Rows - 64, (ulong)writable);

        var counted = new JobContext(_segment, range).CountChangedRows();

        var flagged = writable == 0b01 ? heatRows.ToHashSet() : heatRows.Concat(massRows).ToHashSet();
        Assert.That(counted, Is.EqualTo(flagged.Count(row => row >= 64 && row < Rows)));
    }
}
