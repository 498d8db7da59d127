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
            Assert.That(stream, Is.Not.Null, "Linux has direct I/O for this file system");
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
    public void AWriteRefusedAsDirect_IsWrittenOnThroughTheCache()
    {
        // A flush part-way through a block leaves the next write at an unaligned offset, which direct I/O refuses.
        var path = Path.Combine(Folder("/tmp"), "file.seg");
        var bytes = Pattern((2 << 20) + 100);

        using (var stream = DirectWriteStream.TryCreate(path)!)
        {
            stream.Write(bytes.AsSpan(0, 100));
            stream.Flush(flushToDisk: false);
            stream.Write(bytes.AsSpan(100));
            stream.Flush(flushToDisk: true);
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
