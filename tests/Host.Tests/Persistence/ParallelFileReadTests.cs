using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;
using SimHost.Host.Persistence;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// The checkpoint load's parallel reader puts every byte of every file where its region says, hashes each file front
/// to back whatever order its chunks were read in, hands converters their chunks in order, and refuses a file that
/// ends early, a hash that differs and bytes a converter rejects.
/// </summary>
public sealed unsafe class ParallelFileReadTests
{
    private string _folder = null!;
    private readonly List<SafeFileHandle> _handles = [];

    [SetUp]
    public void SetUp() => _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"simhost-parallel-read-{Guid.NewGuid():N}")).FullName;

    [TearDown]
    public void TearDown()
    {
        _handles.ForEach(static h => h.Dispose());
        _handles.Clear();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void EveryByte_LandsInItsRegion_AndEveryHashMatches_OnAnyThreadCountAndChunkSize(
        [Values(1, 2, 3, 4)] int threads, [Values(8, 24, 4096)] int chunkBytes)
    {
        var random = new Random((threads * 31) + chunkBytes);
        var files = Enumerable.Range(0, 4).Select(i => RandomBytes(random, random.Next(1, 20_000))).ToArray();
        var destinations = files.Select(f => new byte[f.Length]).ToArray();
        var seenInOrder = new List<long>[files.Length];
        var placed = files.Select(f => new bool[f.Length]).ToArray();
        using var read = new ParallelFileRead(chunkBytes);
        for (var f = 0; f < files.Length; f++)
        {
            var prefix = files[f][..random.Next(0, Math.Min(100, files[f].Length))];
            var index = read.AddFile(Open(files[f]), files[f].Length, XxHash128.HashToUInt128(files[f]), prefix);
            var address = read.Pin(destinations[f]);
            prefix.CopyTo(destinations[f], 0);
            placed[f].AsSpan(0, prefix.Length).Fill(true);
            var seen = seenInOrder[f] = [];

            // Regions of random lengths, alternately read into place and only hashed (with a converter).
            var offset = (long)prefix.Length;
            var toPlace = true;
            while (offset < files[f].Length)
            {
                var length = Math.Min(files[f].Length - offset, random.Next(1, 5_000));
                var regionStart = offset;
                var converter = new ParallelFileRead.ChunkConverter((_, _, offsetInRegion) =>
                {
                    seen.Add(regionStart + offsetInRegion);

                    // Holding the file's hashing turn a while lets the other threads read on: the turns interleave.
                    Thread.Yield();
                    return true;
                });
                Assert.That(read.AddRegion(index, length, toPlace ? address + offset : null, toPlace ? null : converter), Is.True);
                placed[f].AsSpan((int)offset, (int)length).Fill(toPlace);
                offset += length;
                toPlace = !toPlace;
            }
        }

        Assert.That(read.Run(threads), Is.True, "every file read whole with its hash");
        for (var f = 0; f < files.Length; f++)
        {
            for (var i = 0; i < files[f].Length; i++)
            {
                // A hashed-only region is read elsewhere: its part of the destination stays untouched.
                var expected = placed[f][i] ? files[f][i] : (byte)0;
                Assert.That(destinations[f][i], Is.EqualTo(expected), $"file {f} byte {i} (placed: {placed[f][i]})");
            }

            Assert.That(seenInOrder[f], Is.Ordered.And.Unique, $"file {f}: converters see their chunks once each, in order");
        }
    }

    [Test]
    public void AFileWithAnotherHash_IsRefused([Values(1, 2)] int threads)
    {
        var bytes = RandomBytes(new Random(3), 10_000);
        using var read = new ParallelFileRead(64);
        var index = read.AddFile(Open(bytes), bytes.Length, XxHash128.HashToUInt128(bytes) + 1, []);
        read.AddRegion(index, bytes.Length, null);

        Assert.That(read.Run(threads), Is.False);
    }

    [Test]
    public void AFileShorterThanItsRegions_IsRefused([Values(1, 2)] int threads)
    {
        var bytes = RandomBytes(new Random(4), 10_000);
        var claimed = bytes.Concat(new byte[100]).ToArray();
        using var read = new ParallelFileRead(64);
        var index = read.AddFile(Open(bytes), claimed.Length, XxHash128.HashToUInt128(claimed), []);
        read.AddRegion(index, claimed.Length, null);

        Assert.That(read.Run(threads), Is.False);
    }

    [Test]
    public void AChunkAConverterRejects_FailsTheRead([Values(1, 2)] int threads)
    {
        var bytes = RandomBytes(new Random(5), 10_000);
        using var read = new ParallelFileRead(64);
        var index = read.AddFile(Open(bytes), bytes.Length, XxHash128.HashToUInt128(bytes), []);
        read.AddRegion(index, bytes.Length, null, (_, _, offset) => offset < 5_000);

        Assert.That(read.Run(threads), Is.False);
    }

    [Test]
    public void ARegionBeyondTheFile_IsNotAdded()
    {
        var bytes = RandomBytes(new Random(6), 100);
        using var read = new ParallelFileRead(64);
        var index = read.AddFile(Open(bytes), bytes.Length, XxHash128.HashToUInt128(bytes), []);

        Assert.Multiple(() =>
        {
            Assert.That(read.AddRegion(index, 101, null), Is.False, "longer than the file");
            Assert.That(read.AddRegion(index, -1, null), Is.False, "negative");
            Assert.That(read.AddRegion(index, 100, null), Is.True, "the whole file");
        });
    }

    [Test]
    public void BytesOnlyToBeHashed_BeyondTheLimit_AreNotAdded()
    {
        // A sparse file: its length costs no disk.
        var path = Path.Combine(_folder, "sparse.bin");
        using (var sparse = new FileStream(path, FileMode.CreateNew))
        {
            sparse.SetLength(ParallelFileRead.MaxSkippedBytes + 1);
        }

        var handle = File.OpenHandle(path);
        _handles.Add(handle);
        using var read = new ParallelFileRead(64);
        var index = read.AddFile(handle, ParallelFileRead.MaxSkippedBytes + 1, 0, []);

        Assert.That(read.AddRegion(index, ParallelFileRead.MaxSkippedBytes + 1, null), Is.False);
    }

    [TestCase(0)]
    [TestCase(12)]
    public void AChunkSize_IsAPositiveMultipleOfEight(int chunkBytes) =>
        Assert.That(() => new ParallelFileRead(chunkBytes), Throws.InstanceOf<ArgumentOutOfRangeException>());

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private SafeFileHandle Open(byte[] bytes)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, bytes);
        var handle = File.OpenHandle(path);
        _handles.Add(handle);
        return handle;
    }
}
