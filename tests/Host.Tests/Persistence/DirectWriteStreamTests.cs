using SimHost.Host.Persistence;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// Checkpoint files written with direct I/O hold exactly the bytes given, whatever their length (the last partial
/// block is padded for the disk and cut back), on a disk and on tmpfs, and a write the file system refuses as direct
/// I/O is written on through the cache.
/// </summary>
public sealed class DirectWriteStreamTests
{
    private readonly List<string> _folders = [];

    [TearDown]
    public void TearDown()
    {
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }

        _folders.Clear();
    }

    [Test]
    public void TheFile_HoldsExactlyTheBytesWritten_AtEveryLength(
        [Values("/tmp", "/dev/shm")] string root,
        [Values(0, 1, 4095, 4096, 1 << 20, (1 << 20) + 3, (3 << 20) + 4097)] int length)
    {
        var path = Path.Combine(Folder(root), "file.seg");
        var bytes = Pattern(length);

        using (var stream = DirectWriteStream.TryCreate(path))
        {
            Assume.That(stream, Is.Not.Null, $"{root} takes direct I/O (tmpfs does from Linux 6.6)");
            // In uneven pieces, as the segment writer hands them over.
            for (var offset = 0; offset < length; offset += 70_001)
            {
                stream!.Write(bytes.AsSpan(offset, Math.Min(70_001, length - offset)));
            }

            stream!.Flush(flushToDisk: true);
            Assert.That(stream.Length, Is.EqualTo(length));
        }

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
    }

    [Test]
    public void AFlushPartWayThroughABlock_KeepsTheWritesAligned()
    {
        var path = Path.Combine(Folder("/tmp"), "file.seg");
        var bytes = Pattern((2 << 20) + 5000);

        using (var stream = DirectWriteStream.TryCreate(path))
        {
            Assume.That(stream, Is.Not.Null, "/tmp takes direct I/O");
            stream!.Write(bytes.AsSpan(0, 5000));
            stream.Flush();
            stream.Write(bytes.AsSpan(5000));
            stream.Flush(flushToDisk: true);
            Assert.That(stream.IsDirect, Is.True, "no write was refused");
        }

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
    }

    [Test]
    public void AWriteRefusedAsDirect_IsWrittenOnThroughTheCache()
    {
        // The end-of-file flush part-way through a file leaves the next write off a block boundary, which direct I/O
        // refuses on ext4 and XFS (tmpfs and btrfs take it, and the fallback is then not reached).
        var path = Path.Combine(Folder("/tmp"), "file.seg");
        var bytes = Pattern((2 << 20) + 100);
        bool wasRefused;

        using (var stream = DirectWriteStream.TryCreate(path))
        {
            Assume.That(stream, Is.Not.Null, "/tmp takes direct I/O");
            stream!.Write(bytes.AsSpan(0, 100));
            stream.Flush(flushToDisk: false);
            stream.Write(bytes.AsSpan(100));
            stream.Flush(flushToDisk: true);
            wasRefused = !stream.IsDirect;
        }

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
        Assume.That(wasRefused, Is.True, "this file system takes unaligned direct writes: the fallback was not reached");
    }

    [Test]
    public void BytesStillBuffered_AreWrittenOnDisposal()
    {
        var path = Path.Combine(Folder("/tmp"), "file.seg");
        var bytes = Pattern(10_000);

        using (var stream = DirectWriteStream.TryCreate(path))
        {
            Assume.That(stream, Is.Not.Null, "/tmp takes direct I/O");
            stream!.Write(bytes);
        }

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
    }

    [Test]
    public void AnExistingFile_IsNotOpened_NorTouched()
    {
        var path = Path.Combine(Folder("/tmp"), "file.seg");
        File.WriteAllBytes(path, [1, 2, 3]);

        Assert.Multiple(() =>
        {
            Assert.That(DirectWriteStream.TryCreate(path), Is.Null);
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 1, 2, 3 }));
        });
    }

    private string Folder(string root)
    {
        Assume.That(OperatingSystem.IsLinux() && Directory.Exists(root), $"direct I/O is used on Linux only, here in {root}");
        var folder = Directory.CreateDirectory(Path.Combine(root, $"simhost-direct-{Guid.NewGuid():N}")).FullName;
        _folders.Add(folder);
        return folder;
    }

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
