using BenchmarkDotNet.Attributes;
using SimHost.Host.Ecs;
using SimHost.Physics.Components;

namespace SimHost.Benchmarks.Ecs;

/// <summary>
/// Creating 100k entities with Position and Velocity after <see cref="World.EnsureCapacity"/>: one by one (allocated
/// bytes per entity against the components' own 24 and no gen-2 collection), and in bulk with a value per entity
/// written through the new rows' spans in the same pass. The baseline allocates and fills two plain arrays of the
/// same values; allocated bytes and ns are per entity (OperationsPerInvoke = Count).
/// </summary>
[InvocationCount(1)]
public class ReservedCreateBenchmarks
{
    private const int EntityCount = 100_000;

    private static readonly Position s_position = new(1f, 2f, 3f);
    private static readonly Velocity s_velocity = new(0.5f, 0f, -0.5f);

    private World _world = new();
    private Blueprint _blueprint = null!;
    private Entity[] _handles = new Entity[EntityCount];

    /// <summary>The number of entities created per invocation (a constant, so OperationsPerInvoke can match it).</summary>
    [Params(EntityCount)]
    public int Count { get; set; }

    /// <summary>A fresh world per iteration with room reserved for every entity; the reservation is not measured.</summary>
    [IterationSetup(Targets = [nameof(CreateOneByOneReserved), nameof(CreateManyWithValues), nameof(CreateManyIntoSpanWithValues)])]
    public void CreateReservedWorld()
    {
        CreateWorld();
        _world.EnsureCapacity(_blueprint, Count);
    }

    /// <summary>A fresh, empty world per iteration: creation pays for its growth.</summary>
    [IterationSetup(Targets = [nameof(PlainArrays), nameof(CreateOneByOneUnreserved)])]
    public void CreateWorld()
    {
        _world = new World();
        _blueprint = _world.Blueprint().With(s_position).With(s_velocity);
        _handles = new Entity[Count];
    }

    /// <summary>Two plain arrays allocated and filled one element at a time: the components' own bytes.</summary>
    /// <returns>The arrays, so the allocation cannot be elided.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = EntityCount)]
    public (Position[] Positions, Velocity[] Velocities) PlainArrays()
    {
        var positions = new Position[Count];
        var velocities = new Velocity[Count];
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = new Position(i, 0f, 0f);
            velocities[i] = s_velocity;
        }

        return (positions, velocities);
    }

    /// <summary>One <c>Create&lt;T1, T2&gt;</c> call per entity into a reserved archetype: no growth, no allocation.</summary>
    /// <returns>The last entity created.</returns>
    [Benchmark(OperationsPerInvoke = EntityCount)]
    public Entity CreateOneByOneReserved() => CreateOneByOne();

    /// <summary>One <c>Create&lt;T1, T2&gt;</c> call per entity without a reservation: growth by doubling.</summary>
    /// <returns>The last entity created.</returns>
    [Benchmark(OperationsPerInvoke = EntityCount)]
    public Entity CreateOneByOneUnreserved() => CreateOneByOne();

    /// <summary>All entities in one call, then a position per entity written through the returned rows' span.</summary>
    /// <returns>The number of rows created.</returns>
    [Benchmark(OperationsPerInvoke = EntityCount)]
    public int CreateManyWithValues() => WriteValues(_world.CreateMany(Count, _blueprint));

    /// <summary>As <see cref="CreateManyWithValues"/>, with the handles written to the caller's span as well.</summary>
    /// <returns>The number of rows created.</returns>
    [Benchmark(OperationsPerInvoke = EntityCount)]
    public int CreateManyIntoSpanWithValues() => WriteValues(_world.CreateMany(_handles.AsSpan(0, Count), _blueprint));

    private static int WriteValues(Chunk rows)
    {
        Span<Position> positions = rows.Span<Position>();
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = new Position(i, 0f, 0f);
        }

        return rows.Length;
    }

    private Entity CreateOneByOne()
    {
        World world = _world;
        Entity last = Entity.Null;
        for (int i = 0; i < Count; i++)
        {
            last = world.Create(new Position(i, 0f, 0f), s_velocity);
        }

        return last;
    }
}
