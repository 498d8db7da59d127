using BenchmarkDotNet.Attributes;
using SimHost.Benchmarks.Baselines;
using SimHost.Physics;
using SimHost.Physics.Components;

namespace SimHost.Benchmarks.Physics;

/// <summary>
/// The full physics step (gravity, damping, walls, changed flags) against the plain SIMD integrate loop over the
/// same arrays: the ratio is what the real kernel costs over the bare memory-bound floor.
/// </summary>
public class ParticleStepBenchmarks
{
    private const float Dt = 1f / 60f;

    private Position[] _positions = [];
    private Velocity[] _velocities = [];
    private ulong[] _changedWords = [];

    /// <summary>The number of particles stepped per invocation.</summary>
    [Params(1_000_000)]
    public int Count { get; set; }

    /// <summary>Scatters particles inside the default box with random velocities.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _positions = new Position[Count];
        _velocities = new Velocity[Count];
        _changedWords = new ulong[(Count + 63) / 64];
        var random = new Random(42);
        for (int i = 0; i < Count; i++)
        {
            _positions[i] = new Position(random.NextSingle() * 100f, random.NextSingle() * 100f, random.NextSingle() * 100f);
            _velocities[i] = new Velocity((random.NextSingle() - 0.5f) * 10f, (random.NextSingle() - 0.5f) * 10f, (random.NextSingle() - 0.5f) * 10f);
        }
    }

    /// <summary>The plain SIMD integrate loop.</summary>
    [Benchmark(Baseline = true)]
    public void PlainArraySimd() => PlainIntegrate.Simd(_positions, _velocities, Dt);

    /// <summary>One full physics step, flags included.</summary>
    /// <returns>The number of rows flagged as changed.</returns>
    [Benchmark]
    public int ParticleStepRun() =>
        ParticleStep.Run(_positions, _velocities, _changedWords, Dt, PhysicsParameters.Default);
}
