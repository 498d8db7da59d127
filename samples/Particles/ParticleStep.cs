using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SimHost.Physics.Components;

namespace SimHost.Physics;

/// <summary>
/// One physics step for a run of particles: gravity, damping, integration and walls with restitution, flagging
/// exactly the rows whose position or velocity changed.
/// </summary>
/// <remarks>
/// Position and Velocity are three floats each, so a column of either is a float stream in which lane k holds axis
/// k % 3. Every operation of the step is per float lane with constants that repeat every three lanes, so the step
/// runs on <see cref="Vector{T}"/> over blocks of <c>Vector&lt;float&gt;.Count</c> particles (three vectors per
/// column). The scalar tail does the same IEEE operations in the same order (no fused multiply-add on either
/// path), so a particle gets bit-identical results whichever path, worker or range it falls in.
/// </remarks>
public static class ParticleStep
{
    /// <summary>Steps every particle of the spans in place and sets the changed bit of each row that changed.</summary>
    /// <param name="positions">The rows' positions, updated in place.</param>
    /// <param name="velocities">The rows' velocities, updated in place; as long as <paramref name="positions"/>.</param>
    /// <param name="changedWords">Changed bits of these rows: row r is bit r % 64 of word r / 64. Bits are only set.</param>
    /// <param name="dt">Seconds to advance.</param>
    /// <param name="parameters">Gravity, damping, restitution and the box.</param>
    /// <returns>The number of rows flagged as changed.</returns>
    public static int Run(Span<Position> positions, Span<Velocity> velocities, Span<ulong> changedWords, float dt, in PhysicsParameters parameters) =>
        Run(positions, velocities, positions, velocities, changedWords, dt, parameters);

    /// <summary>
    /// Steps every particle from the source spans into the target spans, writing every target row, and sets the
    /// changed bit of each row whose values differ from its source. Source and target may be the same memory.
    /// </summary>
    /// <param name="sourcePositions">The rows' current positions.</param>
    /// <param name="sourceVelocities">The rows' current velocities; as long as <paramref name="sourcePositions"/>.</param>
    /// <param name="positions">Where the new positions go; as long as the sources.</param>
    /// <param name="velocities">Where the new velocities go; as long as the sources.</param>
    /// <param name="changedWords">Changed bits of these rows: row r is bit r % 64 of word r / 64. Bits are only set.</param>
    /// <param name="dt">Seconds to advance.</param>
    /// <param name="parameters">Gravity, damping, restitution and the box.</param>
    /// <returns>The number of rows flagged as changed.</returns>
    public static int Run(
        ReadOnlySpan<Position> sourcePositions,
        ReadOnlySpan<Velocity> sourceVelocities,
        Span<Position> positions,
        Span<Velocity> velocities,
        Span<ulong> changedWords,
        float dt,
        in PhysicsParameters parameters)
    {
        if (sourceVelocities.Length != sourcePositions.Length || positions.Length != sourcePositions.Length || velocities.Length != sourcePositions.Length)
        {
            throw new ArgumentException($"{sourcePositions.Length} positions but {sourceVelocities.Length} velocities and {positions.Length}/{velocities.Length} targets; a step needs one of each per row.", nameof(velocities));
        }

        if ((long)changedWords.Length * 64 < positions.Length)
        {
            throw new ArgumentException($"{changedWords.Length} changed words cannot hold {positions.Length} rows.", nameof(changedWords));
        }

        var sp = MemoryMarshal.Cast<Position, float>(sourcePositions);
        var sv = MemoryMarshal.Cast<Velocity, float>(sourceVelocities);
        var p = MemoryMarshal.Cast<Position, float>(positions);
        var v = MemoryMarshal.Cast<Velocity, float>(velocities);
        var constants = new LaneConstants(dt, parameters);
        var changed = 0;
        var row = 0;
        var width = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; row + width <= positions.Length; row += width)
            {
                var floats = width * 3;
                var mask = StepBlock(sp.Slice(row * 3, floats), sv.Slice(row * 3, floats), p.Slice(row * 3, floats), v.Slice(row * 3, floats), constants);
                if (mask != 0)
                {
                    changed += BitOperations.PopCount(mask);
                    ParticleLanes.SetBits(changedWords, row, width, mask);
                }
            }
        }

        for (; row < positions.Length; row++)
        {
            if (StepScalar(sourcePositions[row], sourceVelocities[row], out positions[row], out velocities[row], constants))
            {
                changed++;
                changedWords[row >> 6] |= 1UL << (row & 63);
            }
        }

        return changed;
    }

    /// <summary>Steps one block of particles; returns one bit per particle that changed.</summary>
    private static ulong StepBlock(ReadOnlySpan<float> sp, ReadOnlySpan<float> sv, Span<float> p, Span<float> v, in LaneConstants c)
    {
        var width = Vector<float>.Count;
        ulong laneMask = 0;
        for (var part = 0; part < 3; part++)
        {
            var offset = part * width;
            // Both sources are read before either target is written, so source and target may alias.
            var oldP = Unsafe.As<float, Vector<float>>(ref MemoryMarshal.GetReference(sp[offset..]));
            var oldV = Unsafe.As<float, Vector<float>>(ref MemoryMarshal.GetReference(sv[offset..]));
            ref var pRef = ref Unsafe.As<float, Vector<float>>(ref p[offset]);
            ref var vRef = ref Unsafe.As<float, Vector<float>>(ref v[offset]);
            var newV = (oldV + c.GravityDt[part]) * c.Damping;
            var newP = oldP + (newV * c.Dt);

            var below = Vector.LessThan(newP, c.Min[part]);
            var above = Vector.GreaterThan(newP, c.Max[part]);
            var reflected = Vector.ConditionalSelect(below, c.Min[part] + (c.Min[part] - newP), newP);
            newP = Vector.ConditionalSelect(above, c.Max[part] - (newP - c.Max[part]), reflected);
            var bounced = -newV * c.Restitution;
            newV = Vector.ConditionalSelect(below | above, bounced, newV);

            pRef = newP;
            vRef = newV;
            var laneChanged = ~(Vector.Equals(newP, oldP) & Vector.Equals(newV, oldV));
            laneMask |= ParticleLanes.MostSignificantBits(Vector.AsVectorUInt32(laneChanged)) << offset;
        }

        return ParticleLanes.ParticlesOf(laneMask, width);
    }

    private static bool StepScalar(Position oldPosition, Velocity oldVelocity, out Position position, out Velocity velocity, in LaneConstants c)
    {
        // Taken by value: the targets may be the sources.
        position = oldPosition;
        velocity = oldVelocity;
        StepAxis(ref position.X, ref velocity.X, c.Scalar[0]);
        StepAxis(ref position.Y, ref velocity.Y, c.Scalar[1]);
        StepAxis(ref position.Z, ref velocity.Z, c.Scalar[2]);
        return !BitEquals(oldPosition, position) || !BitEquals(oldVelocity, velocity);
    }

    private static void StepAxis(ref float p, ref float v, in AxisConstants c)
    {
        var newV = (v + c.GravityDt) * c.Damping;
        var newP = p + (newV * c.Dt);
        var below = newP < c.Min;
        var above = newP > c.Max;
        var reflected = below ? c.Min + (c.Min - newP) : newP;
        newP = above ? c.Max - (newP - c.Max) : reflected;
        newV = below || above ? -newV * c.Restitution : newV;
        p = newP;
        v = newV;
    }

    // Equality as the vector path sees it: float ==, so -0 equals +0 and a NaN never equals itself.
    private static bool BitEquals(Position a, Position b) => a.X == b.X && a.Y == b.Y && a.Z == b.Z;

    private static bool BitEquals(Velocity a, Velocity b) => a.X == b.X && a.Y == b.Y && a.Z == b.Z;

    /// <summary>The per-axis constants of one step.</summary>
    private readonly record struct AxisConstants(float GravityDt, float Damping, float Dt, float Restitution, float Min, float Max);

    /// <summary>The step's constants laid out as vectors whose lane k holds axis (offset + k) % 3.</summary>
    private readonly struct LaneConstants
    {
        // Inline arrays: a job runs this once per range, and a host running thousands of ranges a frame must not
        // allocate for it.
        public readonly ThreeAxes Scalar;
        public readonly ThreeVectors GravityDt;
        public readonly ThreeVectors Min;
        public readonly ThreeVectors Max;
        public readonly Vector<float> Damping;
        public readonly Vector<float> Dt;
        public readonly Vector<float> Restitution;

        public LaneConstants(float dt, in PhysicsParameters parameters)
        {
            var gravityDt = parameters.GravityY * dt;
            Scalar[0] = new(0f, parameters.Damping, dt, parameters.Restitution, parameters.BoxMinX, parameters.BoxMaxX);
            Scalar[1] = new(gravityDt, parameters.Damping, dt, parameters.Restitution, parameters.BoxMinY, parameters.BoxMaxY);
            Scalar[2] = new(0f, parameters.Damping, dt, parameters.Restitution, parameters.BoxMinZ, parameters.BoxMaxZ);
            Damping = new Vector<float>(parameters.Damping);
            Dt = new Vector<float>(dt);
            Restitution = new Vector<float>(parameters.Restitution);
            var width = Vector<float>.Count;
            Span<float> g = stackalloc float[width];
            Span<float> lo = stackalloc float[width];
            Span<float> hi = stackalloc float[width];
            for (var part = 0; part < 3; part++)
            {
                for (var lane = 0; lane < width; lane++)
                {
                    var axis = Scalar[((part * width) + lane) % 3];
                    g[lane] = axis.GravityDt;
                    lo[lane] = axis.Min;
                    hi[lane] = axis.Max;
                }

                GravityDt[part] = new Vector<float>(g);
                Min[part] = new Vector<float>(lo);
                Max[part] = new Vector<float>(hi);
            }
        }
    }

    /// <summary>Three axis constants, inline.</summary>
    [InlineArray(3)]
    private struct ThreeAxes
    {
        private AxisConstants _element;
    }

    /// <summary>Three vectors, inline.</summary>
    [InlineArray(3)]
    private struct ThreeVectors
    {
        private Vector<float> _element;
    }
}
