using System.Numerics;
using System.Runtime.InteropServices;
using SimHost.Physics.Components;

namespace SimHost.Benchmarks.Baselines;

/// <summary>
/// <c>Position += Velocity * dt</c> over plain spans, with no ECS in the way: the scalar per-entity loop and the
/// in-process SIMD loop that the ECS forms, the physics step and later offloaded jobs are measured against.
/// </summary>
public static class PlainIntegrate
{
    /// <summary>One entity at a time, field by field, as a plain <c>struct[]</c> loop is written.</summary>
    public static void Scalar(Span<Position> positions, ReadOnlySpan<Velocity> velocities, float dt)
    {
        // Equal lengths let the JIT drop the bounds check on velocities as well.
        velocities = velocities[..positions.Length];
        for (int i = 0; i < positions.Length; i++)
        {
            ref Position p = ref positions[i];
            Velocity v = velocities[i];
            p.X += v.X * dt;
            p.Y += v.Y * dt;
            p.Z += v.Z * dt;
        }
    }

    /// <summary>
    /// Both columns as float streams (Position and Velocity share a three-float shape, so lane k of each is the same
    /// axis of the same entity) stepped <see cref="Vector{T}"/> lanes at a time, with a scalar tail.
    /// </summary>
    public static void Simd(Span<Position> positions, ReadOnlySpan<Velocity> velocities, float dt)
    {
        Span<float> p = MemoryMarshal.Cast<Position, float>(positions);
        ReadOnlySpan<float> v = MemoryMarshal.Cast<Velocity, float>(velocities)[..p.Length];
        ref float pRef = ref MemoryMarshal.GetReference(p);
        ref float vRef = ref MemoryMarshal.GetReference(v);
        var dtLanes = new Vector<float>(dt);
        int width = Vector<float>.Count;
        int i = 0;

        // Unchecked loads and stores: the loop bound keeps every access inside both spans.
        for (; i <= p.Length - width; i += width)
        {
            Vector<float> next = Vector.LoadUnsafe(ref pRef, (nuint)i) + (Vector.LoadUnsafe(ref vRef, (nuint)i) * dtLanes);
            next.StoreUnsafe(ref pRef, (nuint)i);
        }

        for (; i < p.Length; i++)
        {
            p[i] += v[i] * dt;
        }
    }
}
