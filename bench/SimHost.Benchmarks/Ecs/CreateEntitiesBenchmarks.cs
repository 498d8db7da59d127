using BenchmarkDotNet.Attributes;
using SimHost.Host.Ecs;
using SimHost.Physics.Components;

namespace SimHost.Benchmarks.Ecs;

/// <summary>
/// Creating a million entities with Position and Velocity: in bulk from a blueprint, one at a time, and (the
/// baseline) allocating and filling two plain arrays of the same size. Each iteration starts from a fresh world, so
/// every form pays for its growth and allocation.
/// </summary>
[InvocationCount(1)]
public class CreateEntitiesBenchmarks
{
    private const int EntityCount = 1_000_000;

    private static readonly Position s_position = new(1f, 2f, 3f);
    private static readonly Velocity s_velocity = new(0.5f, 0f, -0.5f);

    private World _world = new();

    /// <summary>The number of entities created per invocation (a constant, so OperationsPerInvoke can match it).</summary>
    [Params(EntityCount)]
    public int Count { get; set; }

    /// <summary>A fresh, empty world per iteration; the previous one is collected before measuring.</summary>
    [IterationSetup]
    public void CreateWorld() => _world = new World();

    /// <summary>Two plain arrays allocated and filled with the same values.</summary>
    /// <returns>The arrays, so the allocation cannot be elided.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = EntityCount)]
    public (Position[] Positions, Velocity[] Velocities) PlainArrays()
    {
        var positions = new Position[Count];
        var velocities = new Velocity[Count];
        positions.AsSpan().Fill(s_position);
        velocities.AsSpan().Fill(s_velocity);
        return (positions, velocities);
    }

    /// <summary>All entities in one call from a blueprint: one row reservation, one span fill per column.</summary>
    /// <returns>The created rows.</returns>
    [Benchmark(OperationsPerInvoke = EntityCount)]
    public Chunk CreateMany() =>
        _world.CreateMany(Count, _world.Blueprint().With(s_position).With(s_velocity));

    /// <summary>One <c>Create&lt;T1, T2&gt;</c> call per entity.</summary>
    /// <returns>The last entity created.</returns>
    [Benchmark(OperationsPerInvoke = EntityCount)]
    public Entity CreateOneByOne()
    {
        World world = _world;
        Entity last = Entity.Null;
        for (int i = 0; i < Count; i++)
        {
            last = world.Create(s_position, s_velocity);
        }

        return last;
    }
}
