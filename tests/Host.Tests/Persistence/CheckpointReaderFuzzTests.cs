using CsCheck;
using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Persistence;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// The checkpoint reader refuses every damaged checkpoint with a <see cref="CheckpointException"/> naming the file and
/// the rule, loads nothing of it, and never throws anything else: flipped bits anywhere in any file (the manifest
/// included), truncations, and files grown by a byte. Positions are sampled from a fixed seed.
/// </summary>
public sealed class CheckpointReaderFuzzTests
{
    private static readonly Lazy<(string[] Names, byte[][] Files, byte[] Stream)> s_checkpoint = new(Write);

    [Test]
    public void FlippedBit_InAnyFileOfADirectory_IsRefusedNamingTheFile()
    {
        var (names, files, _) = s_checkpoint.Value;
        Gen.Select(Gen.Int[0, names.Length - 1], Gen.Long[0, long.MaxValue], Gen.Int[0, 7]).SampleSeeded(sample =>
        {
            var (file, position, bit) = sample;
            var damaged = Copy(files);
            var offset = (int)(position % damaged[file].Length);
            damaged[file][offset] ^= (byte)(1 << bit);
            var exception = LoadDirectory(names, damaged);
            Assert.That(exception.FileName, Does.EndWith(names[file]), exception.Message);
            Assert.That(exception.Error, Is.AnyOf(CheckpointError.HashMismatch, CheckpointError.ManifestHashMismatch), exception.Message);
        }, iterations: 150);
    }

    [Test]
    public void TruncatedOrGrownFile_IsRefusedAsALengthMismatch()
    {
        var (names, files, _) = s_checkpoint.Value;
        Gen.Select(Gen.Int[0, names.Length - 1], Gen.Long[0, long.MaxValue], Gen.Bool).SampleSeeded(sample =>
        {
            var (file, position, grow) = sample;
            var damaged = Copy(files);
            damaged[file] = grow ? [.. damaged[file], 0] : damaged[file][..(int)(position % damaged[file].Length)];
            var exception = LoadDirectory(names, damaged);
            Assert.That(exception.FileName, Does.EndWith(names[file]), exception.Message);
            Assert.That(exception.Error, Is.AnyOf(CheckpointError.LengthMismatch, CheckpointError.ManifestHashMismatch), exception.Message);
        }, iterations: 60);
    }

    [Test]
    public void DamagedStream_FlippedOrTruncatedAnywhere_IsRefused()
    {
        var (_, _, stream) = s_checkpoint.Value;
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.Int[0, 7], Gen.Bool).SampleSeeded(sample =>
        {
            var (position, bit, truncate) = sample;
            var offset = (int)(position % stream.Length);
            byte[] damaged = truncate ? stream[..offset] : [.. stream];
            if (!truncate)
            {
                damaged[offset] ^= (byte)(1 << bit);
            }

            var world = new World();
            using var source = new MemoryStream(damaged);
            var exception = Assert.Throws<CheckpointException>(() => WorldCheckpoint.Load(source, world));
            Assert.That(exception!.Message, Does.Not.Contain('\n'));
            Assert.That(world.IsPristine, Is.True, "nothing of a refused checkpoint is loaded");
        }, iterations: 150);
    }

    [Test]
    public void MissingFile_IsRefusedNamingIt()
    {
        var (names, files, _) = s_checkpoint.Value;
        var directory = WriteDirectory(names, files);
        try
        {
            File.Delete(Path.Combine(directory, CheckpointFileNames.EntityTable));
            var exception = Assert.Throws<CheckpointException>(() => WorldCheckpoint.Load(directory, new World()));
            Assert.That(exception!.Error, Is.EqualTo(CheckpointError.MissingFile));
            Assert.That(exception.FileName, Is.EqualTo(CheckpointFileNames.EntityTable));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static CheckpointException LoadDirectory(string[] names, byte[][] files)
    {
        var directory = WriteDirectory(names, files);
        try
        {
            var world = new World();
            var exception = Assert.Throws<CheckpointException>(() => WorldCheckpoint.Load(directory, world))!;
            Assert.That(world.IsPristine, Is.True, "nothing of a refused checkpoint is loaded");
            Assert.That(exception.Message, Does.Not.Contain('\n'));
            return exception;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string WriteDirectory(string[] names, byte[][] files)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"simhost-fuzz-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        for (var i = 0; i < names.Length; i++)
        {
            File.WriteAllBytes(Path.Combine(directory, names[i]), files[i]);
        }

        return directory;
    }

    private static byte[][] Copy(byte[][] files) => [.. files.Select(static f => f.ToArray())];

    private static (string[] Names, byte[][] Files, byte[] Stream) Write()
    {
        var world = new World();
        var module = new ChurnModule();
        module.Seed(world, ModuleContext.For(module, seed: 5, entities: 200));
        for (var i = 0; i < 200; i += 4)
        {
            world.Destroy(new Entity(i, 1));
        }

        world.Add(new Entity(1, 1), new ChurnModule.Seen(2));
        var directory = Path.Combine(Path.GetTempPath(), $"simhost-fuzz-{Guid.NewGuid():N}");
        try
        {
            WorldCheckpoint.Save(world, directory);
            var names = Directory.GetFiles(directory).Select(static p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToArray();
            var files = names.Select(n => File.ReadAllBytes(Path.Combine(directory, n))).ToArray();
            using var stream = new MemoryStream();
            WorldCheckpoint.Save(world, stream);
            return (names, files, stream.ToArray());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
