using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SimHost.Physics;

/// <summary>
/// Turns per-float-lane comparison results of a three-float component stream into per-particle changed bits, shared
/// by the vectorised kernels (<see cref="ParticleStep"/>, <see cref="PositionIntegration"/>).
/// </summary>
internal static class ParticleLanes
{
    /// <summary>The sign bit of every lane, lane k as bit k.</summary>
    internal static ulong MostSignificantBits(Vector<uint> lanes) => Vector<uint>.Count switch
    {
        4 => lanes.AsVector128().ExtractMostSignificantBits(),
        8 => lanes.AsVector256().ExtractMostSignificantBits(),
        16 => (ulong)lanes.AsVector512().ExtractMostSignificantBits(),
        _ => MostSignificantBitsOneByOne(lanes),
    };

    private static ulong MostSignificantBitsOneByOne(Vector<uint> lanes)
    {
        ulong bits = 0;
        for (var i = 0; i < Vector<uint>.Count; i++)
        {
            bits |= (ulong)(lanes[i] >> 31) << i;
        }

        return bits;
    }

    /// <summary>Folds 3 lane bits per particle into one particle bit.</summary>
    internal static ulong ParticlesOf(ulong laneMask, int width)
    {
        var firstLanes = 0x9249_2492_4924_9249UL & ((1UL << (width * 3)) - 1);
        if ((laneMask & firstLanes) == firstLanes)
        {
            // Every particle's X changed (a moving system's usual case): all of them, without gathering bits.
            return (1UL << width) - 1;
        }

        var any = laneMask | (laneMask >> 1) | (laneMask >> 2);
        if (Bmi2.X64.IsSupported)
        {
            return Bmi2.X64.ParallelBitExtract(any, firstLanes);
        }

        ulong result = 0;
        for (var i = 0; i < width; i++)
        {
            result |= ((any >> (i * 3)) & 1UL) << i;
        }

        return result;
    }

    /// <summary>ORs <paramref name="mask"/> (bit i = row firstRow + i) into the changed words.</summary>
    internal static void SetBits(Span<ulong> words, int firstRow, int count, ulong mask)
    {
        // Blocks never straddle a word when 64 is a multiple of the vector width, which holds for every x64/Arm width.
        var shift = firstRow & 63;
        words[firstRow >> 6] |= mask << shift;
        if (shift + count > 64)
        {
            words[(firstRow >> 6) + 1] |= mask >> (64 - shift);
        }
    }
}
