using System.Buffers.Binary;
using SimHost.Layout.Segments;

namespace SimHost.Tests.SharedLayout.Segments;

/// <summary>A two-column segment (12-byte positions, 16-byte velocities) every segment test builds on.</summary>
internal static class SampleSegment
{
    public const int Capacity = 100;

    public static readonly SegmentColumnSpec PositionSpec = new(ComponentId: 7, LayoutHash: 0x1111_2222_3333_4444UL, ElementSizeBytes: 12);
    public static readonly SegmentColumnSpec VelocitySpec = new(ComponentId: 9, LayoutHash: 0x5555_6666_7777_8888UL, ElementSizeBytes: 16);

    private const ulong FnvOffsetBasis = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public static SegmentPlan Plan(int capacity = Capacity) => SegmentLayoutPlanner.Plan([PositionSpec, VelocitySpec], capacity);

    /// <summary>Creates the sample segment at <paramref name="path"/> with <paramref name="rows"/> deterministic rows.</summary>
    public static SharedSegment Create(string path, int rows, int capacity = Capacity)
    {
        var segment = SharedSegment.Create(path, Plan(capacity));
        Fill(segment, rows);
        return segment;
    }

    public static void Fill(SharedSegment segment, int rows)
    {
        var entities = segment.EntityHandles;
        var positions = segment.Column<Position>(0);
        var velocities = segment.Column<Velocity>(1);
        for (int row = 0; row < rows; row++)
        {
            entities[row] = new EntityHandle((uint)(row * 3), (uint)(row % 5)).Value;
            positions[row] = new Position(row, row * 0.5f, -row);
            velocities[row] = new Velocity(row * 2.0, 1.0 / (row + 1));
        }

        segment.RowCount = rows;
        segment.FrameId = 42;
        segment.JobSequence = 1000;
    }

    /// <summary>FNV-1a 64 over used entity handles then each column's used bytes: the probe's checksum, written independently.</summary>
    public static ulong Checksum(SharedSegment segment)
    {
        int rows = segment.RowCount;
        ulong hash = FnvOffsetBasis;
        Span<byte> handleBytes = stackalloc byte[8];
        for (int row = 0; row < rows; row++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(handleBytes, segment.EntityHandles[row]);
            hash = Mix(hash, handleBytes);
        }

        for (int c = 0; c < segment.ColumnCount; c++)
        {
            hash = Mix(hash, segment.ColumnBytes(c)[..(rows * segment.Plan.Columns[c].ElementSizeBytes)]);
        }

        return hash;
    }

    private static ulong Mix(ulong hash, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * FnvPrime;
        }

        return hash;
    }

    internal readonly record struct Position(float X, float Y, float Z);

    internal readonly record struct Velocity(double X, double Y);
}
