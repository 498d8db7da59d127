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

        using (var stream = DirectWriteStream.Create(path))
        {
            // In uneven pieces, as the segment writer hands them over; with direct I/O or without, the same bytes.
            for (var offset = 0; offset < length; offset += 70_001)
            {
                stream.Write(bytes.AsSpan(offset, Math.Min(70_001, length - offset)));
            }

            stream.Flush(flushToDisk: true);
            Assert.That(stream.Length, Is.EqualTo(length));
        }

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
    }

    [Test]
    public void AFileWrittenOver_HoldsExactlyTheNewBytes_WhetherItWasLongerOrShorter_AndIsTheSameFile(
        [Values("/tmp", "/dev/shm")] string root,
        [Values(0, 4095, (1 << 20) + 3)] int oldLength,
        [Values(0, 1, 4096, (2 << 20) + 5)] int newLength)
    {
        var path = Path.Combine(Folder(root), "file.seg");
        File.WriteAllBytes(path, [.. Pattern(oldLength).Select(static b => (byte)~b)]);
        var inode = HardLinks.Inode(path);
        var bytes = Pattern(newLength);

        using (var stream = DirectWriteStream.Overwrite(path))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
            Assert.That(HardLinks.Inode(path), Is.EqualTo(inode), "the same file, written over");
        });
    }

    [Test]
    public void AFileWithASecondName_IsReplaced_NotWrittenOver_SoTheOtherNameKeepsItsBytes()
    {
        var path = Path.Combine(Folder("/tmp"), "file.seg");
        var old = Pattern(10_000);
        File.WriteAllBytes(path, old);
        var backup = path + ".backup";
        HardLinks.Create(path, backup);
        var bytes = Pattern(5_000).Reverse().ToArray();

        using (var stream = DirectWriteStream.Overwrite(path))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
            Assert.That(File.ReadAllBytes(backup), Is.EqualTo(old), "the backup is untouched");
        });
    }

    [Test]
    public void AFileAReaderHoldsOpen_IsReplaced_AndTheReaderGoesOnReadingTheOldBytes()
    {
        var path = Path.Combine(Folder("/tmp"), "file.seg");
        var old = Pattern(10_000);
        File.WriteAllBytes(path, old);
        var bytes = Pattern(7_000).Reverse().ToArray();

        // As simhost inspect holds a checkpoint's files: FileShare.Read, which takes a shared lock on Linux.
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using (var stream = DirectWriteStream.Overwrite(path))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        var seen = new byte[old.Length];
        reader.ReadExactly(seen);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
            Assert.That(seen, Is.EqualTo(old), "the reader's file was not written over");
        });
    }

    [Test]
    public void Overwrite_OfAFileThatIsNotThere_CreatesIt()
    {
        var path = Path.Combine(Folder("/tmp"), "file.seg");
        var bytes = Pattern(10_000);

        using (var stream = DirectWriteStream.Overwrite(path))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
    }

    [Test]
    public void AFlushPartWayThroughABlock_KeepsTheWritesAligned()
    {
        var path = Path.Combine(Folder("/tmp"), "file.seg");
        var bytes = Pattern((2 << 20) + 5000);

        using (var stream = DirectWriteStream.Create(path))
        {
            Assume.That(stream.IsDirect, Is.True, "/tmp takes direct I/O");
            stream.Write(bytes.AsSpan(0, 5000));
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

        using (var stream = DirectWriteStream.Create(path))
        {
            Assume.That(stream.IsDirect, Is.True, "/tmp takes direct I/O");
            stream.Write(bytes.AsSpan(0, 100));
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

        using (var stream = DirectWriteStream.Create(path))
        {
            stream.Write(bytes);
        }

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
    }

    [Test]
    public void AnExistingFile_IsRefused_AndLeftUntouched()
    {
        var path = Path.Combine(Folder("/tmp"), "file.seg");
        File.WriteAllBytes(path, [1, 2, 3]);

        Assert.Multiple(() =>
        {
            Assert.Throws<IOException>(() => DirectWriteStream.Create(path).Dispose());
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 1, 2, 3 }));
        });
    }

    [Test]
    public void DirectIO_IsOn_WhereTheFileSystemTakesIt()
    {
        // ext4 takes it (the reference machine's /tmp); this pins that the checkpoints there really bypass the cache.
        using var stream = DirectWriteStream.Create(Path.Combine(Folder("/tmp"), "file.seg"));
        Assume.That(FileSystemOf("/tmp"), Is.EqualTo("ext4"), "/tmp is on ext4");
        Assert.That(stream.IsDirect, Is.True);
    }

    private string Folder(string root)
    {
        Assume.That(OperatingSystem.IsLinux() && Directory.Exists(root), $"direct I/O is used on Linux only, here in {root}");
        var folder = Directory.CreateDirectory(Path.Combine(root, $"simhost-direct-{Guid.NewGuid():N}")).FullName;
        _folders.Add(folder);
        return folder;
    }

    // The type of the file system /proc/mounts lists for the mount point, or for / when it is not a mount point itself.
    private static string? FileSystemOf(string mountPoint)
    {
        var mounts = File.ReadAllLines("/proc/mounts").Select(static line => line.Split(' ')).Where(static f => f.Length > 2).ToArray();
        return (mounts.LastOrDefault(f => f[1] == mountPoint) ?? mounts.LastOrDefault(static f => f[1] == "/"))?[2];
    }

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
