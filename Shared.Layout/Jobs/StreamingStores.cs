using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SimHost.Layout.Jobs;

/// <summary>
/// Non-temporal ("streaming") vector stores for jobs that write a column out of place. Shared storage's jobs read the
/// live column and write a scratch one, so a frame touches three columns where an in-place loop touches two; once
/// they outgrow the last-level cache (<see cref="LastLevelCache.IsOutgrownBy"/>), cached stores first read every
/// scratch line they overwrite and evict the columns the next frame reads. Streaming stores do neither.
/// </summary>
/// <remarks>
/// Use them only on memory the job does not read back in the same run, end the run with <see cref="Fence"/>, and
/// check <see cref="CanStreamTo{T}"/> first: a misaligned streaming store faults.
/// </remarks>
public static class StreamingStores
{
    /// <summary>
    /// Whether <paramref name="target"/> starts on a <see cref="Vector{T}"/> boundary, does not overlap
    /// <paramref name="source"/>, and the processor has a streaming store of that width.
    /// </summary>
    public static unsafe bool CanStreamTo<T>(ReadOnlySpan<T> source, Span<T> target)
        where T : unmanaged
    {
        if (target.IsEmpty || source.Overlaps(target) || !HasStoreOfWidth(Vector<T>.Count * sizeof(T)))
        {
            return false;
        }

        var address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(target));
        return address % (nuint)(Vector<T>.Count * sizeof(T)) == 0;
    }

    /// <summary>Stores <paramref name="value"/> at <paramref name="destination"/> without reading or keeping its line in cache.</summary>
    /// <param name="value">The lanes to store.</param>
    /// <param name="destination">Vector-aligned memory, as <see cref="CanStreamTo{T}"/> checked.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store<T>(Vector<T> value, ref T destination)
        where T : unmanaged
    {
        var address = (T*)Unsafe.AsPointer(ref destination);
        Debug.Assert((nuint)address % (nuint)(Vector<T>.Count * sizeof(T)) == 0, "A streaming store needs a vector-aligned destination; check CanStreamTo first.");
        switch (Vector<T>.Count * sizeof(T))
        {
            case 16:
                value.AsVector128().StoreAlignedNonTemporal(address);
                break;
            case 32:
                value.AsVector256().StoreAlignedNonTemporal(address);
                break;
            case 64:
                value.AsVector512().StoreAlignedNonTemporal(address);
                break;
            default:
                Unsafe.As<T, Vector<T>>(ref destination) = value;
                break;
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> over <paramref name="destination"/> with streaming stores: for block copies
    /// larger than the last-level cache (a snapshot of a big column), where cached stores would first read every
    /// destination line. Falls back to an ordinary copy where the processor has no 32-byte streaming store or the two
    /// overlap. Fenced before it returns.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is shorter than the source.</exception>
    public static unsafe void Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"A {source.Length}-byte copy needs as long a destination, not {destination.Length} bytes.", nameof(destination));
        }

        const int Width = 32;
        const int Unroll = 4 * Width;
        if (!Vector256.IsHardwareAccelerated || source.Length < 2 * Unroll || source.Overlaps(destination))
        {
            source.CopyTo(destination);
            return;
        }

        fixed (byte* from = source)
        fixed (byte* to = destination)
        {
            // An ordinary copy up to the destination's first 32-byte boundary, streaming blocks after it, then the tail.
            var head = (int)((Width - ((nuint)to % Width)) % Width);
            new ReadOnlySpan<byte>(from, head).CopyTo(new Span<byte>(to, head));
            var offset = head;
            for (; offset + Unroll <= source.Length; offset += Unroll)
            {
                var a = Vector256.Load(from + offset);
                var b = Vector256.Load(from + offset + Width);
                var c = Vector256.Load(from + offset + (2 * Width));
                var d = Vector256.Load(from + offset + (3 * Width));
                a.StoreAlignedNonTemporal(to + offset);
                b.StoreAlignedNonTemporal(to + offset + Width);
                c.StoreAlignedNonTemporal(to + offset + (2 * Width));
                d.StoreAlignedNonTemporal(to + offset + (3 * Width));
            }

            source[offset..].CopyTo(destination[offset..]);
        }

        Fence();
    }

    /// <summary>
    /// Orders every streaming store before whatever follows (on x86 they are weakly ordered): call it before the run
    /// reports that its rows are written.
    /// </summary>
    public static void Fence()
    {
        if (Sse.IsSupported)
        {
            Sse.StoreFence();
        }
        else
        {
            Interlocked.MemoryBarrier();
        }
    }

    private static bool HasStoreOfWidth(int bytes) => bytes is 16 or 32 or 64;
}
