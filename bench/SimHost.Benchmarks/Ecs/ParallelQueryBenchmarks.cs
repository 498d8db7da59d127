using BenchmarkDotNet.Attributes;
using SimHost.Benchmarks.Baselines;
using SimHost.Host.Ecs;
using SimHost.Physics.Components;

namespace SimHost.Benchmarks.Ecs;

/// <summary>
/// <c>Position += Velocity * dt</c> with SIMD over the query's chunks split over two threads
/// (<see cref="Query.ParallelForEachChunk{TCallback}"/>), against the single-thread SIMD loop over plain arrays of the
/// same size in the same run (the baseline) and the serial chunk loop.
/// </summary>
public class ParallelQueryBenchmarks
{
    private const float Dt = 1f / 60f;

    /// <summary>The threads of the parallel form, the caller included: the figure is stated at two.</summary>
    private const int ThreadCount = 2;

    private Position[] _positions = [];
    private Velocity[] _velocities = [];
    private World _world = new();
    private Query _query = null!;

    /// <summary>The number of entities stepped per invocation.</summary>
    [Params(1_000_000)]
    public int Count { get; set; }

    /// <summary>Fills the plain arrays and a world with the same entities, and starts the query threads.</summary>
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
        Chunk rows = _world.CreateMany(Count, _world.Blueprint().With<Position>().With<Velocity>());
        _positions.CopyTo(rows.Span<Position>());
        _velocities.CopyTo(rows.Span<Velocity>());
        _world.Threads = new QueryThreads(ThreadCount);
        _query = _world.Query().All<Position, Velocity>();
    }

    /// <summary>Stops the query threads.</summary>
    [GlobalCleanup]
    public void Cleanup() => _world.Threads.Dispose();

    /// <summary>The single-thread SIMD loop over plain arrays.</summary>
    [Benchmark(Baseline = true)]
    public void PlainArraySimd() => PlainIntegrate.Simd(_positions, _velocities, Dt);

    /// <summary>The same SIMD loop over the query's chunks on one thread.</summary>
    [Benchmark]
    public void ChunkSimd()
    {
        foreach (Chunk chunk in _query.Chunks())
        {
            PlainIntegrate.Simd(chunk.Span<Position>(), chunk.Span<Velocity>(), Dt);
        }
    }

    /// <summary>The same SIMD loop over the query's chunks, split into 64-row-aligned pieces over two threads.</summary>
    [Benchmark]
    public void ParallelChunkSimd() => _query.ParallelForEachChunk(new SimdIntegrate(Dt));

    private readonly struct SimdIntegrate(float dt) : IForEachChunk
    {
        public void Execute(Chunk chunk) => PlainIntegrate.Simd(chunk.Span<Position>(), chunk.Span<Velocity>(), dt);
    }
}
