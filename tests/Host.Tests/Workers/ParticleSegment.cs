using SimHost.Layout.Components;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;

namespace SimHost.Tests.Host.Workers;

/// <summary>A Position + Velocity segment filled with deterministic particles, as a snapshot would leave it.</summary>
internal static class ParticleSegment
{
    public const uint PositionComponentId = 1;
    public const uint VelocityComponentId = 2;

    /// <summary>Both columns are writable, as for the physics system.</summary>
    public const ulong WritableColumns = 0b11;

    /// <summary>Rows [<paramref name="start"/>, +<paramref name="count"/>) of a physics step over both columns at frame 7, time 3.5.</summary>
    public static JobRange PhysicsRange(int start, int count) => new()
    {
        RowStart = start,
        RowCount = count,
        WritableColumns = WritableColumns,
        FrameId = 7,
        DeltaTime = 1.0 / 64.0,
        Time = 3.5,
        Parameters = PhysicsParameters.Default.ToBytes(),
    };

    public static unsafe SegmentColumnSpec[] Columns =>
    [
        new(PositionComponentId, ComponentLayout.Of<Position>().Hash, sizeof(Position)),
        new(VelocityComponentId, ComponentLayout.Of<Velocity>().Hash, sizeof(Velocity)),
    ];

    public static SharedSegment Create(string path, int rows)
    {
        var segment = SharedSegment.Create(path, SegmentLayoutPlanner.Plan(Columns, rows));
        segment.RowCount = rows;
        var positions = segment.Column<Position>(segment.FindColumn(PositionComponentId));
        var velocities = segment.Column<Velocity>(segment.FindColumn(VelocityComponentId));
        var random = new Random(1234);
        for (var i = 0; i < rows; i++)
        {
            segment.EntityHandles[i] = (ulong)i + 1;
            positions[i] = new Position(random.NextSingle() * 100f, random.NextSingle() * 100f, random.NextSingle() * 100f);
            velocities[i] = new Velocity((random.NextSingle() - 0.5f) * 20f, (random.NextSingle() - 0.5f) * 20f, (random.NextSingle() - 0.5f) * 20f);
        }

        return segment;
    }

    /// <summary>A byte-for-byte copy of <paramref name="source"/>'s rows, columns and changed bits in a new file.</summary>
    public static SharedSegment CopyOf(SharedSegment source, string path)
    {
        var copy = SharedSegment.Create(path, source.Plan);
        copy.RowCount = source.RowCount;
        source.EntityHandles.CopyTo(copy.EntityHandles);
        for (var column = 0; column < source.ColumnCount; column++)
        {
            source.ColumnBytes(column).CopyTo(copy.ColumnBytes(column));
            source.ChangedWords(column).CopyTo(copy.ChangedWords(column));
        }

        return copy;
    }
}
