using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Tests.Host.Offload;

/// <summary>A written component of the offload tests.</summary>
public record struct Heat(int Value);

/// <summary>A read-only component of the offload tests.</summary>
public record struct Rate(int Value);

/// <summary>A tag that puts entities in another archetype.</summary>
public record struct Marked(byte Value);

/// <summary>Adds each row's Rate to its Heat and flags the rows whose Rate is not zero.</summary>
public sealed class HeatJob : IJob
{
    /// <summary>The job's name.</summary>
    public const string JobName = "test.heat";

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Heat), typeof(Rate)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        var heat = context.Write<Heat>();
        var rate = context.Read<Rate>();
        var changed = context.Changed<Heat>();
        for (var row = 0; row < heat.Length; row++)
        {
            if (rate[row].Value != 0)
            {
                heat[row] = new Heat(heat[row].Value + rate[row].Value);
                changed.Set(row);
            }
        }
    }
}

/// <summary>Shared setup: a run directory removed in TearDown, and snapshots of Heat (written) and Rate (read).</summary>
internal static class OffloadTestSupport
{
    public static JobCatalog Catalog { get; } = JobCatalog.FromAssemblies([typeof(HeatJob).Assembly, typeof(SimHost.Physics.Jobs.PhysicsStepJob).Assembly]);

    public static SnapshotColumns HeatColumns() => new([ComponentType.Of<Heat>()], [ComponentType.Of<Rate>()]);

    public static Snapshot NewSnapshot(World world, RunDirectory directory, SegmentLimits? limits = null, string name = "heat") =>
        new(world, new OffloadSegments(name, HeatColumns(), directory, limits ?? SegmentLimits.Default));

    public static Query HeatQuery(World world) => world.Query().All<Heat, Rate>();

    public static Entity[] CreateHeated(World world, int count, int rate = 1)
    {
        var entities = new Entity[count];
        for (var i = 0; i < count; i++)
        {
            entities[i] = world.Create(new Heat(i), new Rate(rate));
        }

        return entities;
    }

    /// <summary>Writes <paramref name="value"/> into the Heat column of snapshot row <paramref name="globalRow"/> and flags it.</summary>
    public static void WriteAndFlag(Snapshot snapshot, int globalRow, int value)
    {
        var perSegment = snapshot.Segments.RowCapacityPerSegment;
        var segment = snapshot.Segments.Segments[globalRow / perSegment];
        var row = globalRow % perSegment;
        segment.Column<Heat>(0)[row] = new Heat(value);
        segment.ChangedWords(0)[row / 64] |= 1UL << (row % 64);
    }

    /// <summary>Rows [<paramref name="start"/>, +<paramref name="count"/>) of segment <paramref name="segmentIndex"/>, as the splitter and the commit see a range.</summary>
    public static JobRange Slice(int segmentIndex, int start, int count) => new() { SegmentIndex = segmentIndex, RowStart = start, RowCount = count };

    /// <summary>Every range of the snapshot as one range per segment.</summary>
    public static JobRange[] WholeSegments(Snapshot snapshot)
    {
        var ranges = new List<JobRange>();
        for (var i = 0; i < snapshot.RowsPerSegment.Length; i++)
        {
            if (snapshot.RowsPerSegment[i] > 0)
            {
                ranges.Add(Slice(i, 0, snapshot.RowsPerSegment[i]));
            }
        }

        return [.. ranges];
    }

    public static int[] HeatOf(World world, Entity[] entities)
    {
        var values = new int[entities.Length];
        for (var i = 0; i < entities.Length; i++)
        {
            values[i] = world.IsAlive(entities[i]) && world.Has<Heat>(entities[i]) ? world.Get<Heat>(entities[i]).Value : int.MinValue;
        }

        return values;
    }
}
