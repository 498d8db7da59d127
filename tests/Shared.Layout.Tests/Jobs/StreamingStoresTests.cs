using System.Numerics;
using System.Runtime.InteropServices;
using SimHost.Layout.Jobs;

namespace SimHost.Tests.SharedLayout.Jobs;

public sealed class StreamingStoresTests
{
    private static readonly int s_vectorBytes = Vector<float>.Count * sizeof(float);

    [Test]
    public void CanStreamTo_AnAlignedTargetApartFromTheSource()
    {
        using var target = AlignedFloats.Create(256, s_vectorBytes);

        Assert.That(StreamingStores.CanStreamTo<float>(new float[256], target.Span), Is.True);
    }

    [Test]
    public void CannotStreamTo_AMisalignedTarget()
    {
        using var target = AlignedFloats.Create(256, s_vectorBytes);

        Assert.That(StreamingStores.CanStreamTo<float>(new float[255], target.Span[1..]), Is.False);
    }

    [Test]
    public void CannotStreamTo_TheSourceItself()
    {
        using var buffer = AlignedFloats.Create(256, s_vectorBytes);

        Assert.That(StreamingStores.CanStreamTo<float>(buffer.Span, buffer.Span), Is.False, "an in-place job must keep cached stores");
        Assert.That(StreamingStores.CanStreamTo<float>([], Span<float>.Empty), Is.False);
    }

    [Test]
    public void Store_WritesTheLanes_AndFenceOrdersThem()
    {
        using var target = AlignedFloats.Create(Vector<float>.Count * 4, s_vectorBytes);
        var lanes = new float[Vector<float>.Count];
        for (var i = 0; i < lanes.Length; i++)
        {
            lanes[i] = i + 0.5f;
        }

        for (var block = 0; block < 4; block++)
        {
            StreamingStores.Store(new Vector<float>(lanes) * (block + 1), ref target.Span[block * Vector<float>.Count]);
        }

        StreamingStores.Fence();

        for (var block = 0; block < 4; block++)
        {
            Assert.That(target.Span.Slice(block * Vector<float>.Count, Vector<float>.Count).ToArray(), Is.EqualTo(lanes.Select(x => x * (block + 1)).ToArray()));
        }
    }

    [TestCase(0, 0, 0)]
    [TestCase(100, 0, 0)]
    [TestCase(255, 3, 0)]
    [TestCase(256, 0, 0)]
    [TestCase(4099, 0, 0)]
    [TestCase(4099, 5, 17)]
    [TestCase(70_001, 31, 1)]
    public void Copy_CopiesEveryByte_WhateverTheLengthAndAlignment(int length, int sourceOffset, int destinationOffset)
    {
        var source = new byte[length + sourceOffset];
        new Random(length).NextBytes(source);
        var destination = new byte[length + destinationOffset + 64];
        destination.AsSpan().Fill(0xEE);

        StreamingStores.Copy(source.AsSpan(sourceOffset, length), destination.AsSpan(destinationOffset));

        Assert.That(destination.AsSpan(destinationOffset, length).SequenceEqual(source.AsSpan(sourceOffset, length)), Is.True);
        Assert.That(destination.AsSpan(0, destinationOffset).ToArray(), Has.All.EqualTo((byte)0xEE), "nothing before the destination");
        Assert.That(destination.AsSpan(destinationOffset + length).ToArray(), Has.All.EqualTo((byte)0xEE), "nothing after the copy");
    }

    [Test]
    public void Copy_BetweenOverlappingSpans_MovesLikeCopyTo()
    {
        var buffer = Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray();
        var expected = buffer.ToArray();
        expected.AsSpan(0, 3000).CopyTo(expected.AsSpan(100));

        StreamingStores.Copy(buffer.AsSpan(0, 3000), buffer.AsSpan(100));

        Assert.That(buffer, Is.EqualTo(expected));
    }

    [Test]
    public void Copy_IntoAShorterDestination_IsRefused() =>
        Assert.Throws<ArgumentException>(() => StreamingStores.Copy(new byte[10], new byte[9]));

    [TestCase("32768K", 32L * 1024 * 1024)]
    [TestCase("1M", 1024L * 1024)]
    [TestCase("2G\n", 2L * 1024 * 1024 * 1024)]
    [TestCase("512", 512L)]
    public void LastLevelCache_ParsesSysfsSizes(string text, long expected) =>
        Assert.That(LastLevelCache.ParseSize(text), Is.EqualTo(expected));

    [TestCase("")]
    [TestCase("K")]
    [TestCase("0K")]
    [TestCase("-1K")]
    [TestCase("32 MB")]
    [TestCase("99999999999999999G")]
    public void LastLevelCache_RefusesWhatIsNotASize(string text) =>
        Assert.That(LastLevelCache.ParseSize(text), Is.Null);

    [Test]
    public void LastLevelCache_IsKnownOrFallsBack_AndDecidesBySize()
    {
        Assert.That(LastLevelCache.SizeBytes, Is.Positive);
        Assert.That(LastLevelCache.IsOutgrownBy(LastLevelCache.SizeBytes + 1), Is.True);
        Assert.That(LastLevelCache.IsOutgrownBy(LastLevelCache.SizeBytes), Is.False);
    }
}

/// <summary>A pinned float array and a window of it that starts on a given byte alignment.</summary>
internal sealed class AlignedFloats : IDisposable
{
    private readonly float[] _array;
    private readonly int _offset;
    private readonly int _length;
    private GCHandle _handle;

    private AlignedFloats(float[] array, GCHandle handle, int offset, int length)
    {
        _array = array;
        _handle = handle;
        _offset = offset;
        _length = length;
    }

    public Span<float> Span => _array.AsSpan(_offset, _length);

    public static AlignedFloats Create(int length, int alignmentBytes)
    {
        var array = new float[length + (alignmentBytes / sizeof(float))];
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        var address = handle.AddrOfPinnedObject();
        var offset = (int)((alignmentBytes - (address % alignmentBytes)) % alignmentBytes) / sizeof(float);
        return new AlignedFloats(array, handle, offset, length);
    }

    public void Dispose() => _handle.Free();
}
