using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SimHost.Host.Persistence;

/// <summary>
/// XXH3-128 (seed 0, default secret) of an input appended in order, the hash of every file a checkpoint's manifest lists:
/// the same value as <see cref="XxHash128"/>, from code compiled fully optimized on first use.
/// </summary>
/// <remarks>
/// <para>
/// Why not <see cref="XxHash128"/> itself: System.IO.Hashing ships without precompiled code, so its loops start in the
/// JIT's unoptimized tier and are replaced only after enough calls and a quiet spell (plus an instrumented tier with
/// PGO). A resume loads once, at the very start of a process, so its load hashed at about 0.8 GB/s where optimized code
/// does 33-34; a run's first checkpoint was hashed the same way, beside the frames. Measured in a process that had just
/// seeded and saved a 1M-particle world, its second load took 49-53 ms with <see cref="XxHash128"/> and 16-17 with
/// this. The loops here carry <see cref="MethodImplOptions.AggressiveOptimization"/>. Tests check values against
/// <see cref="XxHash128"/>: every length up to 2499 bytes and lengths around larger block counts, inputs appended in
/// pieces of fixed and random sizes, with AVX2 and without.
/// </para>
/// <para>
/// Only the long-input algorithm is implemented here. Inputs of at most <see cref="ShortInputBytes"/> have other
/// algorithms: their bytes are kept and hashed by <see cref="XxHash128"/> at the end, where speed does not matter. A
/// stripe is taken in only once a byte after it has arrived, because the input's last stripe is processed differently
/// and its length is not known in advance.
/// </para>
/// </remarks>
internal sealed unsafe class EagerXxHash128
{
    /// <summary>Inputs up to this length have XXH3's short-input algorithms, left to <see cref="XxHash128"/>.</summary>
    public const int ShortInputBytes = 240;

    private const int StripeBytes = 64;
    private const int StripesPerBlock = 16;
    private const int ScrambleSecretOffset = 128;
    private const int LastStripeSecretOffset = 121;
    private const int LowMergeSecretOffset = 11;
    private const int HighMergeSecretOffset = 117;
    private const ulong Prime32V1 = 0x9E3779B1;
    private const ulong Prime64V1 = 0x9E3779B185EBCA87;
    private const ulong Prime64V2 = 0xC2B2AE3D27D4EB4F;

    private static ReadOnlySpan<byte> Secret =>
    [
        0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c,
        0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f,
        0xcb, 0x79, 0xe6, 0x4e, 0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
        0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c,
        0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb, 0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3,
        0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
        0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7, 0xc7, 0x0b, 0x4f, 0x1d,
        0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64,
        0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
        0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e,
        0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce,
        0x45, 0xcb, 0x3a, 0x8f, 0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
    ];

    private readonly bool _useAvx2;
    private readonly ulong[] _accumulators = [0xC2B2AE3D, Prime64V1, Prime64V2, 0x165667B19E3779F9, 0x85EBCA77C2B2AE63, 0x85EBCA77, 0x27D4EB2F165667C5, 0x9E3779B1];

    // The bytes not yet taken in (1 to 64 once anything has arrived), and the last stripe taken in, from which the
    // input's last 64 bytes are put together at the end.
    private readonly byte[] _pending = new byte[StripeBytes];
    private readonly byte[] _lastStripe = new byte[StripeBytes];
    private readonly byte[] _head = new byte[ShortInputBytes];
    private int _pendingBytes;
    private int _stripesInBlock;
    private long _lengthBytes;

    /// <summary>A hash of nothing yet, in AVX2 where the processor has it.</summary>
    public EagerXxHash128()
        : this(Avx2.IsSupported)
    {
    }

    /// <param name="useAvx2">False for the scalar loops whatever the processor (tests check them on every machine).</param>
    internal EagerXxHash128(bool useAvx2) => _useAvx2 = useAvx2 && Avx2.IsSupported;

    /// <summary>Appends the input's next bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_lengthBytes < ShortInputBytes)
        {
            var kept = (int)Math.Min(data.Length, ShortInputBytes - _lengthBytes);
            data[..kept].CopyTo(_head.AsSpan((int)_lengthBytes));
        }

        _lengthBytes += data.Length;
        if (_pendingBytes + data.Length <= StripeBytes)
        {
            data.CopyTo(_pending.AsSpan(_pendingBytes));
            _pendingBytes += data.Length;
            return;
        }

        // More than a stripe has arrived: the pending bytes, completed, are a stripe with a byte after it.
        if (_pendingBytes > 0)
        {
            var fill = StripeBytes - _pendingBytes;
            data[..fill].CopyTo(_pending.AsSpan(_pendingBytes));
            data = data[fill..];
            fixed (byte* stripe = _pending)
            {
                TakeStripes(stripe, 1);
            }

            _pending.AsSpan().CopyTo(_lastStripe);
            _pendingBytes = 0;
        }

        // Every whole stripe of data with a byte after it; the rest (1 to 64 bytes) waits.
        var stripes = (data.Length - 1) / StripeBytes;
        if (stripes > 0)
        {
            fixed (byte* first = data)
            {
                TakeStripes(first, stripes);
            }

            data.Slice((stripes - 1) * StripeBytes, StripeBytes).CopyTo(_lastStripe);
            data = data[(stripes * StripeBytes)..];
        }

        data.CopyTo(_pending);
        _pendingBytes = data.Length;
    }

    /// <summary>The hash of everything appended so far; appending may go on.</summary>
    public UInt128 GetCurrentHashAsUInt128()
    {
        if (_lengthBytes <= ShortInputBytes)
        {
            return XxHash128.HashToUInt128(_head.AsSpan(0, (int)_lengthBytes));
        }

        // The input's last 64 bytes: the end of the last stripe taken in, then the pending bytes.
        Span<byte> last = stackalloc byte[StripeBytes];
        _lastStripe.AsSpan(_pendingBytes).CopyTo(last);
        _pending.AsSpan(0, _pendingBytes).CopyTo(last[(StripeBytes - _pendingBytes)..]);
        Span<ulong> accumulators = stackalloc ulong[8];
        _accumulators.CopyTo(accumulators);
        fixed (ulong* acc = accumulators)
        fixed (byte* stripe = last)
        fixed (byte* secret = Secret)
        {
            if (_useAvx2)
            {
                AccumulateAvx2(acc, stripe, secret + LastStripeSecretOffset);
            }
            else
            {
                AccumulateScalar(acc, stripe, secret + LastStripeSecretOffset);
            }

            var length = (ulong)_lengthBytes;
            var low = Merge(acc, secret + LowMergeSecretOffset, length * Prime64V1);
            var high = Merge(acc, secret + HighMergeSecretOffset, ~(length * Prime64V2));
            return new UInt128(high, low);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TakeStripes(byte* input, int stripes)
    {
        fixed (ulong* acc = _accumulators)
        fixed (byte* secret = Secret)
        {
            if (_useAvx2)
            {
                _stripesInBlock = TakeStripesAvx2(acc, input, stripes, secret, _stripesInBlock);
                return;
            }

            for (var s = 0; s < stripes; s++)
            {
                AccumulateScalar(acc, input + ((long)s * StripeBytes), secret + (_stripesInBlock * 8));
                if (++_stripesInBlock == StripesPerBlock)
                {
                    ScrambleScalar(acc, secret + ScrambleSecretOffset);
                    _stripesInBlock = 0;
                }
            }
        }
    }

    // The accumulators stay in two registers for the whole run of stripes.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int TakeStripesAvx2(ulong* acc, byte* input, int stripes, byte* secret, int stripesInBlock)
    {
        var low = Avx.LoadVector256(acc);
        var high = Avx.LoadVector256(acc + 4);
        for (var s = 0; s < stripes; s++)
        {
            var stripe = input + ((long)s * StripeBytes);
            var key = secret + (stripesInBlock * 8);
            low = Step(low, stripe, key);
            high = Step(high, stripe + 32, key + 32);
            if (++stripesInBlock == StripesPerBlock)
            {
                low = ScrambleAvx2(low, secret + ScrambleSecretOffset);
                high = ScrambleAvx2(high, secret + ScrambleSecretOffset + 32);
                stripesInBlock = 0;
            }
        }

        Avx.Store(acc, low);
        Avx.Store(acc + 4, high);
        return stripesInBlock;
    }

    /// <summary>One stripe into the accumulators, four lanes at a time (tests compare it with <see cref="AccumulateScalar"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AccumulateAvx2(ulong* acc, byte* stripe, byte* secret)
    {
        Avx.Store(acc, Step(Avx.LoadVector256(acc), stripe, secret));
        Avx.Store(acc + 4, Step(Avx.LoadVector256(acc + 4), stripe + 32, secret + 32));
    }

    // Four lanes: each lane's key (data ^ secret), low 32 bits times high 32 bits, plus the neighbouring lane's data.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Step(Vector256<ulong> acc, byte* stripe, byte* secret)
    {
        var data = Avx.LoadVector256((ulong*)stripe);
        var key = data ^ Avx.LoadVector256((ulong*)secret);
        var product = Avx2.Multiply(key.AsUInt32(), Avx2.ShiftRightLogical(key, 32).AsUInt32());
        var swapped = Avx2.Shuffle(data.AsUInt32(), 0b01_00_11_10).AsUInt64();
        return acc + product + swapped;
    }

    /// <summary>One stripe into the accumulators, as XXH3 defines it, for processors without AVX2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AccumulateScalar(ulong* acc, byte* stripe, byte* secret)
    {
        for (var i = 0; i < 8; i++)
        {
            var data = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(stripe + (i * 8), 8));
            var key = data ^ BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(secret + (i * 8), 8));
            acc[i ^ 1] += data;
            acc[i] += (ulong)(uint)key * (key >> 32);
        }
    }

    /// <summary>Four accumulators scrambled at the end of a block (tests compare it with <see cref="ScrambleScalar"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<ulong> ScrambleAvx2(Vector256<ulong> acc, byte* secret)
    {
        acc ^= Avx2.ShiftRightLogical(acc, 47);
        acc ^= Avx.LoadVector256((ulong*)secret);

        // Times a 32-bit prime, modulo 2^64: the low half's product plus the high half's, shifted up.
        var prime = Vector256.Create(Prime32V1).AsUInt32();
        var low = Avx2.Multiply(acc.AsUInt32(), prime);
        var high = Avx2.Multiply(Avx2.ShiftRightLogical(acc, 32).AsUInt32(), prime);
        return low + Avx2.ShiftLeftLogical(high, 32);
    }

    /// <summary>The accumulators scrambled at the end of a block, as XXH3 defines it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ScrambleScalar(ulong* acc, byte* secret)
    {
        for (var i = 0; i < 8; i++)
        {
            var value = acc[i];
            value ^= value >> 47;
            value ^= BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(secret + (i * 8), 8));
            acc[i] = value * Prime32V1;
        }
    }

    private static ulong Merge(ulong* acc, byte* secret, ulong start)
    {
        var result = start;
        for (var i = 0; i < 4; i++)
        {
            var left = acc[2 * i] ^ BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(secret + (16 * i), 8));
            var right = acc[(2 * i) + 1] ^ BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(secret + (16 * i) + 8, 8));
            var high = Math.BigMul(left, right, out var low);
            result += low ^ high;
        }

        result ^= result >> 37;
        result *= 0x165667919E3779F9;
        return result ^ (result >> 32);
    }
}
