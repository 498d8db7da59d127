using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SimHost.Physics.Components;

namespace SimHost.Physics;

/// <summary>
/// The plainest physics step, <c>Position += Velocity × dt</c>, vectorised over the float stream of the columns and
/// flagging exactly the rows whose position changed. It is the same arithmetic as the benchmarks' plain SIMD loop,
/// so an offloaded frame of it measures what SimHost adds to a job, not what the job costs.
/// </summary>
public static class PositionIntegration
{
    /// <summary>
    /// Writes <c>source + velocity × dt</c> of every row into <paramref name="positions"/> and sets the changed bit of
    /// each row whose new position differs from its source. Source and target may be the same memory.
    /// </summary>
    /// <param name="sourcePositions">The rows' current positions.</param>
    /// <param name="velocities">The rows' velocities; as long as <paramref name="sourcePositions"/>.</param>
    /// <param name="positions">Where the new positions go; as long as the sources.</param>
    /// <param name="changedWords">Changed bits of these rows: row r is bit r % 64 of word r / 64. Bits are only set.</param>
    /// <param name="dt">Seconds to advance.</param>
    /// <returns>The number of rows flagged as changed.</returns>
    public static int Run(ReadOnlySpan<Position> sourcePositions, ReadOnlySpan<Velocity> velocities, Span<Position> positions, Span<ulong> changedWords, float dt)
    {
        if (velocities.Length != sourcePositions.Length || positions.Length != sourcePositions.Length)
        {
            throw new ArgumentException($"{sourcePositions.Length} positions but {velocities.Length} velocities and {positions.Length} targets; integration needs one of each per row.", nameof(positions));
        }

        if ((long)changedWords.Length * 64 < positions.Length)
        {
            throw new ArgumentException($"{changedWords.Length} changed words cannot hold {positions.Length} rows.", nameof(changedWords));
        }

        // Position and Velocity are both three floats, so lane k of either stream is the same axis of the same row.
        var sp = MemoryMarshal.Cast<Position, float>(sourcePositions);
        var sv = MemoryMarshal.Cast<Velocity, float>(velocities);
        var p = MemoryMarshal.Cast<Position, float>(positions);
        var width = Vector<float>.Count;
        var dtVector = new Vector<float>(dt);
        var changed = 0;
        var row = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref var spRef = ref MemoryMarshal.GetReference(sp);
            ref var svRef = ref MemoryMarshal.GetReference(sv);
            ref var pRef = ref MemoryMarshal.GetReference(p);
            for (; row + width <= positions.Length; row += width)
            {
                ulong laneMask = 0;
                var first = row * 3;
                for (var part = 0; part < 3; part++)
                {
                    var offset = first + (part * width);
                    var oldP = Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref spRef, offset));
                    var v = Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref svRef, offset));
                    var newP = oldP + (v * dtVector);
                    Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref pRef, offset)) = newP;
                    laneMask |= ParticleLanes.MostSignificantBits(Vector.AsVectorUInt32(~Vector.Equals(newP, oldP))) << (part * width);
                }

                if (laneMask != 0)
                {
                    var mask = ParticleLanes.ParticlesOf(laneMask, width);
                    changed += BitOperations.PopCount(mask);
                    ParticleLanes.SetBits(changedWords, row, width, mask);
                }
            }
        }

        for (; row < positions.Length; row++)
        {
            // Same IEEE operations as the vector path (no fused multiply-add), so every row is bit-identical either way.
            var old = sourcePositions[row];
            var velocity = velocities[row];
            var next = new Position(old.X + (velocity.X * dt), old.Y + (velocity.Y * dt), old.Z + (velocity.Z * dt));
            positions[row] = next;
            if (next.X != old.X || next.Y != old.Y || next.Z != old.Z)
            {
                changed++;
                changedWords[row >> 6] |= 1UL << (row & 63);
            }
        }

        return changed;
    }
}
