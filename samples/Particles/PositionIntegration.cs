using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Physics;

/// <summary>
/// The plainest physics step, <c>Position += Velocity × dt</c>, vectorised over the float stream of the columns and
/// flagging exactly the rows whose position changed. It is the same arithmetic as the benchmarks' plain SIMD loop,
/// so an offloaded frame of it measures what SimHost adds to a job, not what the job costs.
/// </summary>
public static class PositionIntegration
{
    private const int ChangedWordRows = 64;

    /// <summary>
    /// Writes <c>source + velocity × dt</c> of every row into <paramref name="positions"/> and sets the changed bit of
    /// each row whose new position differs from its source. Source and target may be the same memory.
    /// </summary>
    /// <param name="sourcePositions">The rows' current positions.</param>
    /// <param name="velocities">The rows' velocities; as long as <paramref name="sourcePositions"/>.</param>
    /// <param name="positions">Where the new positions go; as long as the sources.</param>
    /// <param name="changedWords">Changed bits of these rows: row r is bit r % 64 of word r / 64. Bits are only set.</param>
    /// <param name="dt">Seconds to advance.</param>
    /// <param name="streamingStores">
    /// Write the new positions with <see cref="StreamingStores"/> when the target allows it (aligned, not the source):
    /// for columns that outgrow the last-level cache anyway, where it saves reading every target line first.
    /// </param>
    /// <returns>The number of rows flagged as changed.</returns>
    public static int Run(ReadOnlySpan<Position> sourcePositions, ReadOnlySpan<Velocity> velocities, Span<Position> positions, Span<ulong> changedWords, float dt, bool streamingStores = false)
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
        var changed = 0;
        var row = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Two instantiations, so the store kind is decided once and not per vector inside the loop.
            row = streamingStores && StreamingStores.CanStreamTo(sp, p)
                ? RunVectors<StreamingStore>(sp, sv, p, changedWords, dt, out changed)
                : RunVectors<CachedStore>(sp, sv, p, changedWords, dt, out changed);
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

    // The vector part of Run: every whole vector of rows; returns the rows done and counts the changed ones.
    private static int RunVectors<TStore>(ReadOnlySpan<float> sp, ReadOnlySpan<float> sv, Span<float> p, Span<ulong> changedWords, float dt, out int changed)
        where TStore : struct, IVectorStore
    {
        ref var spRef = ref MemoryMarshal.GetReference(sp);
        ref var svRef = ref MemoryMarshal.GetReference(sv);
        ref var pRef = ref MemoryMarshal.GetReference(p);
        var rows = p.Length / 3;
        var width = Vector<float>.Count;
        var dtVector = new Vector<float>(dt);
        changed = 0;
        var row = 0;

        // Whole 64-row words first: the word's bits are gathered in a register and stored once, not per vector.
        for (; row + ChangedWordRows <= rows; row += ChangedWordRows)
        {
            ulong word = 0;
            for (var block = 0; block < ChangedWordRows; block += width)
            {
                word |= Step<TStore>(ref spRef, ref svRef, ref pRef, (row + block) * 3, dtVector) << block;
            }

            changedWords[row >> 6] |= word;
            changed += BitOperations.PopCount(word);
        }

        for (; row + width <= rows; row += width)
        {
            var mask = Step<TStore>(ref spRef, ref svRef, ref pRef, row * 3, dtVector);
            if (mask != 0)
            {
                changed += BitOperations.PopCount(mask);
                ParticleLanes.SetBits(changedWords, row, width, mask);
            }
        }

        TStore.Complete();
        return row;
    }

    // Integrates the Vector<float>.Count rows whose floats start at `first` and returns their changed bits (bit i is
    // row i of the block). Three vectors hold those rows' X, Y, Z lanes interleaved.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Step<TStore>(ref float sourceRef, ref float velocityRef, ref float targetRef, int first, Vector<float> dt)
        where TStore : struct, IVectorStore
    {
        var width = Vector<float>.Count;
        var equal0 = Integrate<TStore>(ref sourceRef, ref velocityRef, ref targetRef, first, dt);
        var equal1 = Integrate<TStore>(ref sourceRef, ref velocityRef, ref targetRef, first + width, dt);
        var equal2 = Integrate<TStore>(ref sourceRef, ref velocityRef, ref targetRef, first + (2 * width), dt);

        // A moving system changes every lane: one test says so, and the per-row bits are only gathered otherwise.
        if (Vector.EqualsAll(equal0 | equal1 | equal2, Vector<int>.Zero))
        {
            return (1UL << width) - 1;
        }

        var changedLanes = ~(ParticleLanes.MostSignificantBits(Vector.AsVectorUInt32(equal0))
            | (ParticleLanes.MostSignificantBits(Vector.AsVectorUInt32(equal1)) << width)
            | (ParticleLanes.MostSignificantBits(Vector.AsVectorUInt32(equal2)) << (2 * width)));
        changedLanes &= (1UL << (3 * width)) - 1;
        return changedLanes == 0 ? 0 : ParticleLanes.ParticlesOf(changedLanes, width);
    }

    // One vector of lanes: writes source + velocity × dt and returns which lanes kept their value (all ones = equal).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<int> Integrate<TStore>(ref float sourceRef, ref float velocityRef, ref float targetRef, int offset, Vector<float> dt)
        where TStore : struct, IVectorStore
    {
        var oldP = Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref sourceRef, offset));
        var v = Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref velocityRef, offset));
        var newP = oldP + (v * dt);
        TStore.Store(newP, ref Unsafe.Add(ref targetRef, offset));
        return Vector.Equals(newP, oldP);
    }

    // How RunVectors writes a vector: a struct type argument, so each kind gets its own compiled loop.
    private interface IVectorStore
    {
        static abstract void Store(Vector<float> value, ref float destination);

        static abstract void Complete();
    }

    private readonly struct CachedStore : IVectorStore
    {
        public static void Store(Vector<float> value, ref float destination) => Unsafe.As<float, Vector<float>>(ref destination) = value;

        public static void Complete()
        {
        }
    }

    private readonly struct StreamingStore : IVectorStore
    {
        public static void Store(Vector<float> value, ref float destination) => StreamingStores.Store(value, ref destination);

        public static void Complete() => StreamingStores.Fence();
    }
}
