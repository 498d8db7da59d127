using System.IO.Hashing;
using System.Runtime.Intrinsics.X86;
using SimHost.Host.Persistence;

namespace SimHost.Tests.Host.Persistence;

/// <summary>The checkpoint files' own XXH3-128 gives System.IO.Hashing's value for every input, however it is cut.</summary>
public sealed class EagerXxHash128Tests
{
    private static readonly byte[] s_input = RandomBytes((3 << 20) + 4321, seed: 7);

    [Test]
    public void EveryLength_AroundEveryStripeAndBlockBoundary_HashesAsXxHash128([Values] bool useAvx2)
    {
        // Every length from empty past two whole blocks (1024 bytes each), short inputs included, then around larger
        // block counts.
        var lengths = Enumerable.Range(0, 2500)
            .Concat(new[] { 4096, 16_384, 65_536, 1 << 20 }.SelectMany(static l => new[] { l - 65, l - 64, l - 63, l - 1, l, l + 1, l + 63, l + 64, l + 65 }));
        var wrong = lengths.Where(l => Hash(s_input.AsSpan(0, l), [l], useAvx2) != XxHash128.HashToUInt128(s_input.AsSpan(0, l))).Take(5).ToList();
        Assert.That(wrong, Is.Empty, "lengths whose hash differs from XxHash128's");
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(63)]
    [TestCase(64)]
    [TestCase(65)]
    [TestCase(1000)]
    [TestCase(1 << 20)]
    public void AnInputAppendedInPieces_HashesAsInOnePiece(int piece)
    {
        var length = piece == 1 ? 50_000 : s_input.Length;
        var pieces = Enumerable.Repeat(piece, length / piece).Append(length % piece).ToArray();
        Assert.That(Hash(s_input.AsSpan(0, length), pieces), Is.EqualTo(XxHash128.HashToUInt128(s_input.AsSpan(0, length))));
    }

    [Test]
    public void AnInputCutAtRandom_HashesAsXxHash128([Range(1, 20)] int seed, [Values] bool useAvx2)
    {
        var random = new Random(seed);
        var length = random.Next(0, 200_000);
        var pieces = new List<int>();
        for (var left = length; left > 0;)
        {
            var next = Math.Min(left, random.Next(4) switch { 0 => random.Next(0, 3), 1 => random.Next(60, 70), 2 => random.Next(1000, 1100), _ => random.Next(1, 40_000) });
            pieces.Add(next);
            left -= next;
        }

        Assert.That(Hash(s_input.AsSpan(0, length), [.. pieces], useAvx2), Is.EqualTo(XxHash128.HashToUInt128(s_input.AsSpan(0, length))));
    }

    [Test]
    public unsafe void TheVectorStripe_AccumulatesAsTheScalarOne()
    {
        if (!Avx2.IsSupported)
        {
            Assert.Ignore("this processor has no AVX2: the scalar stripe alone is used, and checked by the other tests");
        }

        var stripe = RandomBytes(64, seed: 3);
        var secret = RandomBytes(64, seed: 4);
        var vector = RandomBytes(64, seed: 5).Chunk(8).Select(static b => BitConverter.ToUInt64(b)).ToArray();
        var scalar = vector.ToArray();
        fixed (byte* s = stripe, k = secret)
        fixed (ulong* v = vector, c = scalar)
        {
            for (var round = 0; round < 3; round++)
            {
                EagerXxHash128.AccumulateAvx2(v, s, k);
                EagerXxHash128.AccumulateScalar(c, s, k);
            }
        }

        Assert.That(vector, Is.EqualTo(scalar));
    }

    [Test]
    public unsafe void TheVectorScramble_ScramblesAsTheScalarOne()
    {
        if (!Avx2.IsSupported)
        {
            Assert.Ignore("this processor has no AVX2: the scalar scramble alone is used, and checked by the other tests");
        }

        var secret = RandomBytes(64, seed: 6);
        var scalar = RandomBytes(64, seed: 8).Chunk(8).Select(static b => BitConverter.ToUInt64(b)).ToArray();
        var vector = new ulong[8];
        fixed (byte* k = secret)
        fixed (ulong* c = scalar, v = vector)
        {
            var low = System.Runtime.Intrinsics.Vector256.Load(c);
            var high = System.Runtime.Intrinsics.Vector256.Load(c + 4);
            System.Runtime.Intrinsics.Vector256.Store(EagerXxHash128.ScrambleAvx2(low, k), v);
            System.Runtime.Intrinsics.Vector256.Store(EagerXxHash128.ScrambleAvx2(high, k + 32), v + 4);
            EagerXxHash128.ScrambleScalar(c, k);
        }

        Assert.That(vector, Is.EqualTo(scalar));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(240)]
    [TestCase(241)]
    public void AShortInputAppendedByteByByte_HashesAsXxHash128(int length)
    {
        var pieces = Enumerable.Repeat(1, length).ToArray();
        Assert.That(Hash(s_input.AsSpan(0, length), pieces), Is.EqualTo(XxHash128.HashToUInt128(s_input.AsSpan(0, length))));
    }

    [TestCase(100, 5000)]
    [TestCase(240, 241)]
    [TestCase(241, 5000)]
    [TestCase(1024, 3000)]
    [TestCase(1088, 1089)]
    public void TheHashSoFar_LeavesAppendingOpen(int first, int total)
    {
        // Asked for twice, short or long, on a stripe's or block's end, then asked again after more bytes.
        var hash = new EagerXxHash128();
        hash.Append(s_input.AsSpan(0, first));
        var soFar = XxHash128.HashToUInt128(s_input.AsSpan(0, first));
        Assert.That(hash.GetCurrentHashAsUInt128(), Is.EqualTo(soFar));
        Assert.That(hash.GetCurrentHashAsUInt128(), Is.EqualTo(soFar), "asked for a second time");
        hash.Append(s_input.AsSpan(first, total - first));
        Assert.That(hash.GetCurrentHashAsUInt128(), Is.EqualTo(XxHash128.HashToUInt128(s_input.AsSpan(0, total))));
    }

    private static UInt128 Hash(ReadOnlySpan<byte> input, int[] pieces, bool useAvx2 = true)
    {
        var hash = new EagerXxHash128(useAvx2);
        var at = 0;
        foreach (var piece in pieces)
        {
            hash.Append(input.Slice(at, piece));
            at += piece;
        }

        return hash.GetCurrentHashAsUInt128();
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
