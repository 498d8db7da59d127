using BenchmarkDotNet.Attributes;
using SimHost.Benchmarks.Baselines;
using SimHost.Host.Ecs;
using SimHost.Physics.Components;

namespace SimHost.Benchmarks.Ecs;

/// <summary>
/// One <c>Position += Velocity * dt</c> step in each way the ECS offers, against the same step over plain arrays.
/// The baseline is the scalar <c>struct[]</c> loop; <see cref="PlainArraySimd"/> is the in-process SIMD floor that
/// <see cref="ChunkSpanSimd"/> should match.
/// </summary>
public class IntegrateBenchmarks
{
    private const float Dt = 1f / 60f;

    // Cached once: a delegate per call would allocate and measure the allocation instead of the loop.
    private static readonly RefAction<Position, Velocity> s_integrate = static (ref p, ref v) =>
    {
        p.X += v.X * Dt;
        p.Y += v.Y * Dt;
        p.Z += v.Z * Dt;
    };

    private Position[] _positions = [];
    private Velocity[] _velocities = [];
    private World _world = new();
    private Query _query = null!;

    /// <summary>The number of entities stepped per invocation.</summary>
    [Params(100_000, 1_000_000)]
    public int Count { get; set; }

    /// <summary>Fills the plain arrays and a world with the same entities (one archetype, one chunk).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _positions = new Position[Count];
        _velocities = new Velocity[Count];
        var random = new Random(42);
        for (int i = 0; i < Count; i++)
        {
            _positions[i] = new Position(random.NextSingle() * 100f, random.NextSingle() * 100f, random.NextSingle() * 100f);
            _velocities[i] = new Velocity(random.NextSingle() - 0.5f, random.NextSingle() - 0.5f, random.NextSingle() - 0.5f);
        }

        _world = new World();
        _world.CreateMany(Count, _world.Blueprint().With<Position>().With<Velocity>());
        _query = _world.Query().All<Position, Velocity>();
        foreach (Chunk chunk in _query.Chunks())
        {
            _positions.AsSpan(chunk.Start, chunk.Length).CopyTo(chunk.Span<Position>());
            _velocities.AsSpan(chunk.Start, chunk.Length).CopyTo(chunk.Span<Velocity>());
        }
    }

    /// <summary>The scalar loop over plain arrays.</summary>
    [Benchmark(Baseline = true)]
    public void PlainArrayScalar() => PlainIntegrate.Scalar(_positions, _velocities, Dt);

    /// <summary>The <see cref="System.Numerics.Vector{T}"/> loop over plain arrays as float streams.</summary>
    [Benchmark]
    public void PlainArraySimd() => PlainIntegrate.Simd(_positions, _velocities, Dt);

    /// <summary>The query's per-entity form with a struct callback.</summary>
    [Benchmark]
    public void QueryStructCallback()
    {
        var callback = new IntegrateCallback(Dt);
        _query.ForEach<IntegrateCallback, Position, Velocity>(ref callback);
    }

    /// <summary>
    /// The same loop written by hand: <c>foreach</c> chunk, then a plain indexed loop over its column spans. The
    /// struct-callback form must be at least as fast.
    /// </summary>
    [Benchmark]
    public void ChunkSpanForeach()
    {
        foreach (Chunk chunk in _query.Chunks())
        {
            PlainIntegrate.Scalar(chunk.Span<Position>(), chunk.Span<Velocity>(), Dt);
        }
    }

    /// <summary>One component per entity (<c>Position.X += dt</c>) with a struct callback: the per-entity floor.</summary>
    [Benchmark]
    public void QueryStructCallbackOneComponent()
    {
        var callback = new DriftCallback(Dt);
        _query.ForEach<DriftCallback, Position>(ref callback);
    }

    /// <summary>One component per entity (<c>Position.X += dt</c>) with a plain loop over the chunk spans.</summary>
    [Benchmark]
    public void ChunkSpanForeachOneComponent()
    {
        foreach (Chunk chunk in _query.Chunks())
        {
            foreach (ref Position position in chunk.Span<Position>())
            {
                position.X += Dt;
            }
        }
    }

    /// <summary>The query's per-entity form with a <see cref="RefAction{T1, T2}"/> delegate.</summary>
    [Benchmark]
    public void QueryRefAction() => _query.ForEach(s_integrate);

    /// <summary>The query's chunks, each stepped with the plain SIMD loop over its column spans.</summary>
    [Benchmark]
    public void ChunkSpanSimd()
    {
        foreach (Chunk chunk in _query.Chunks())
        {
            PlainIntegrate.Simd(chunk.Span<Position>(), chunk.Span<Velocity>(), Dt);
        }
    }

    private readonly struct DriftCallback(float dt) : IForEach<Position>
    {
        public void Execute(ref Position c1) => c1.X += dt;
    }
}
