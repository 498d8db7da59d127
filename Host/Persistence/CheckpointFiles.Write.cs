using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SimHost.Host.Persistence;

/// <summary>The writing half of <see cref="CheckpointFiles"/>: a directory written crash-safely, or one stream.</summary>
internal static partial class CheckpointFiles
{
    /// <summary>Writes <paramref name="content"/> as the checkpoint directory <paramref name="directory"/>, crash-safely.</summary>
    /// <remarks>
    /// Every file goes into a hidden temporary directory beside the target and is fsynced; the manifest is written
    /// last; the temporary directory is fsynced and renamed to its final name in one step (and its parent fsynced), so
    /// a crash at any point leaves either no checkpoint or a whole one. An existing <paramref name="directory"/> is
    /// replaced only after the new one is complete.
    /// </remarks>
    /// <param name="content">What to write.</param>
    /// <param name="directory">The checkpoint directory to create.</param>
    /// <param name="pacer">Spreads the writing over the frames (a run's background writer), or null for full speed.</param>
    /// <param name="recycle">
    /// A hidden directory beside <paramref name="directory"/> that no reader will look at again (a removed checkpoint,
    /// see <see cref="CheckpointStore"/>), whose files are written over rather than new ones created; null for none.
    /// </param>
    public static void WriteDirectory(CheckpointContent content, string directory, CheckpointPacer? pacer = null, string? recycle = null)
    {
        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException("A checkpoint cannot be the root directory.", nameof(directory));
        var temporary = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(parent);
            var isRecycled = TryRecycle(recycle, temporary);
            var files = new List<ManifestFile>();
            foreach (var (name, write) in FilesOf(content, pacer))
            {
                // Direct I/O where the file system has it (DirectWriteStream says why), else through the cache; in
                // whole blocks either way, as the segment writer hands over large slices.
                var path = Path.Combine(temporary, name);
                using var stream = isRecycled ? DirectWriteStream.Overwrite(path) : DirectWriteStream.Create(path);
                var hash = new EagerXxHash128();
                var length = write(stream, hash);
                stream.Flush(flushToDisk: true);
                files.Add(new ManifestFile(name, length, hash.GetCurrentHashAsUInt128()));
            }

            if (isRecycled)
            {
                RemoveAllBut(temporary, files);
            }

            using (var manifest = new FileStream(Path.Combine(temporary, CheckpointFileNames.Manifest), FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                manifest.Write(ManifestOf(content, files).Encode());
                manifest.Flush(flushToDisk: true);
            }

            DirectorySync.Flush(temporary);
            string? replaced = null;
            if (Directory.Exists(target))
            {
                replaced = Path.Combine(parent, $".{Path.GetFileName(target)}.old-{Environment.ProcessId}-{Guid.NewGuid():N}");
                Directory.Move(target, replaced);
            }

            Directory.Move(temporary, target);
            DirectorySync.Flush(parent);
            if (replaced is not null)
            {
                Directory.Delete(replaced, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new CheckpointException(CheckpointError.Unwritable, target, $"cannot be written: {exception.Message}", exception);
        }
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="destination"/> in the stream form.</summary>
    public static void WriteStream(CheckpointContent content, Stream destination)
    {
        // The manifest comes first in a stream, so the files are hashed before they are written (the stream may not seek).
        var files = new List<ManifestFile>();
        var writers = FilesOf(content, pacer: null);
        foreach (var (name, write) in writers)
        {
            var hash = new EagerXxHash128();
            var length = write(Stream.Null, hash);
            files.Add(new ManifestFile(name, length, hash.GetCurrentHashAsUInt128()));
        }

        var manifest = ManifestOf(content, files).Encode();
        Span<byte> prefix = stackalloc byte[16];
        StreamMagic.CopyTo(prefix);
        BinaryPrimitives.WriteInt64LittleEndian(prefix[8..], manifest.Length);
        destination.Write(prefix);
        destination.Write(manifest);
        foreach (var (_, write) in writers)
        {
            write(destination, new EagerXxHash128());
        }

        destination.Flush();
    }

    private static List<(string Name, Func<Stream, EagerXxHash128, long> Write)> FilesOf(CheckpointContent content, CheckpointPacer? pacer)
    {
        var world = content.World;
        var frame = (ulong)(content.Simulation?.FrameCount ?? 0);
        var files = new List<(string, Func<Stream, EagerXxHash128, long>)>
        {
            (CheckpointFileNames.EntityTable, (stream, hash) => CheckpointSegment.Write(stream, hash, frame, world.Generations.Length, (first, handles) =>
            {
                for (var i = 0; i < handles.Length; i++)
                {
                    var slot = first + i;
                    handles[i] = ((ulong)world.Generations[slot] << 32) | (uint)slot;
                }
            }, [], pacer)),
            (CheckpointFileNames.FreeSlots, (stream, hash) => CheckpointSegment.Write(stream, hash, frame, world.FreeSlots.Length, (first, handles) =>
            {
                for (var i = 0; i < handles.Length; i++)
                {
                    var slot = world.FreeSlots[first + i];
                    handles[i] = ((ulong)world.Generations[slot] << 32) | (uint)slot;
                }
            }, [], pacer)),
        };
        for (var a = 0; a < world.Archetypes.Length; a++)
        {
            var archetype = world.Archetypes[a];
            files.Add((CheckpointFileNames.Archetype(a), (stream, hash) =>
            {
                var columns = new SegmentColumnData[2 * archetype.Components.Length];
                for (var c = 0; c < archetype.Components.Length; c++)
                {
                    var component = world.Components[archetype.Components[c]];
                    columns[2 * c] = new SegmentColumnData((uint)c, component.LayoutHash, component.SizeBytes, archetype.Columns[c]);
                    columns[(2 * c) + 1] = new SegmentColumnData(
                        CheckpointSegment.TickColumnFlag | (uint)c,
                        CheckpointSegment.TickColumnLayoutHash,
                        sizeof(uint),
                        archetype.ChangedTicks[c],
                        archetype.UniformChangedTicks?[c]);
                }

                return CheckpointSegment.Write(stream, hash, frame, MemoryMarshal.Cast<byte, ulong>(archetype.Entities.Span), columns, pacer);
            }
            ));
        }

        return files;
    }

    private static CheckpointManifest ManifestOf(CheckpointContent content, List<ManifestFile> files)
    {
        var world = content.World;
        var archetypes = new ManifestArchetype[world.Archetypes.Length];
        for (var a = 0; a < archetypes.Length; a++)
        {
            var archetype = world.Archetypes[a];
            archetypes[a] = new ManifestArchetype(CheckpointFileNames.Archetype(a), archetype.Components, archetype.Rows, archetype.LastChangedTicks);
        }

        return new CheckpointManifest
        {
            Version = CheckpointManifest.FormatVersion,
            LayoutHash = CheckpointManifest.CombinedLayoutHash(world.Components),
            ChangeTick = world.ChangeTick,
            Slots = world.Generations.Length,
            FreeSlotCount = world.FreeSlots.Length,
            Components = world.Components,
            Archetypes = archetypes,
            Simulation = content.Simulation,
            Run = content.Run,
            Files = [.. files],
        };
    }

    // Takes over the recycled directory as the temporary one (a rename: the files keep their blocks); false when there
    // is none, or it cannot be taken, and an empty temporary directory is made instead.
    private static bool TryRecycle(string? recycle, string temporary)
    {
        if (recycle is not null && Directory.Exists(recycle))
        {
            try
            {
                Directory.Move(recycle, temporary);

                // Its manifest is written anew, last, as in any checkpoint being written.
                File.Delete(Path.Combine(temporary, CheckpointFileNames.Manifest));
                return true;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                TryDelete(Directory.Exists(temporary) ? temporary : recycle);
            }
        }

        Directory.CreateDirectory(temporary);
        return false;
    }

    // A recycled directory's files the new checkpoint does not have (an archetype gone since) are removed.
    private static void RemoveAllBut(string directory, List<ManifestFile> files)
    {
        var written = new HashSet<string>(files.Select(static f => f.Name), StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(directory))
        {
            if (written.Contains(Path.GetFileName(path)))
            {
                continue;
            }

            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: the hidden temporary directory is removed by the next checkpoint of this directory.
        }
    }
}
