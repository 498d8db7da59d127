using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace SimHost.Host.Persistence;

/// <summary>
/// Turns a <see cref="CheckpointContent"/> into the checkpoint's files and back, as a directory (one file each, the
/// manifest last) or as one stream (<c>SIMHCKP1</c>, the manifest's length and bytes, then each file in manifest
/// order). Reading checks the manifest's own hash, then each file's length and hash, then each segment's header
/// rules and its agreement with the manifest, then the world's consistency: nothing is returned before all pass.
/// </summary>
internal static class CheckpointFiles
{
    /// <summary>The first 8 bytes of the stream form: ASCII <c>SIMHCKP1</c>.</summary>
    public static ReadOnlySpan<byte> StreamMagic => "SIMHCKP1"u8;

    /// <summary>Writes <paramref name="content"/> as the checkpoint directory <paramref name="directory"/>, crash-safely.</summary>
    /// <remarks>
    /// Every file goes into a hidden temporary directory beside the target and is fsynced; the manifest is written
    /// last; the temporary directory is fsynced and renamed to its final name in one step (and its parent fsynced), so
    /// a crash at any point leaves either no checkpoint or a whole one. An existing <paramref name="directory"/> is
    /// replaced only after the new one is complete.
    /// </remarks>
    public static void WriteDirectory(CheckpointContent content, string directory)
    {
        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException("A checkpoint cannot be the root directory.", nameof(directory));
        var temporary = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(temporary);
            var files = new List<ManifestFile>();
            foreach (var (name, write) in FilesOf(content))
            {
                using var stream = new FileStream(Path.Combine(temporary, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
                var hash = new XxHash128();
                var length = write(stream, hash);
                stream.Flush(flushToDisk: true);
                files.Add(new ManifestFile(name, length, hash.GetCurrentHashAsUInt128()));
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
            throw new CheckpointException(CheckpointError.Unreadable, target, $"cannot be written: {exception.Message}", exception);
        }
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="destination"/> in the stream form.</summary>
    public static void WriteStream(CheckpointContent content, Stream destination)
    {
        // The manifest comes first in a stream, so the files are hashed before they are written (the stream may not seek).
        var files = new List<ManifestFile>();
        var writers = FilesOf(content);
        foreach (var (name, write) in writers)
        {
            var hash = new XxHash128();
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
            write(destination, new XxHash128());
        }

        destination.Flush();
    }

    /// <summary>Reads and verifies the checkpoint directory <paramref name="directory"/>.</summary>
    /// <exception cref="CheckpointException">The checkpoint breaks a rule; the message names the file and the rule.</exception>
    public static CheckpointContent ReadDirectory(string directory)
    {
        var manifestPath = Path.Combine(directory, CheckpointFileNames.Manifest);
        if (!File.Exists(manifestPath))
        {
            throw new CheckpointException(CheckpointError.MissingManifest, directory, "has no manifest: not a checkpoint, or one whose writing never finished");
        }

        var manifest = CheckpointManifest.Decode(ReadAll(manifestPath, CheckpointFileNames.Manifest));
        return Assemble(manifest, file =>
        {
            var path = Path.Combine(directory, file.Name);
            if (!File.Exists(path))
            {
                throw new CheckpointException(CheckpointError.MissingFile, file.Name, "is listed in the manifest but missing");
            }

            var length = new FileInfo(path).Length;
            if (length != file.LengthBytes)
            {
                throw new CheckpointException(CheckpointError.LengthMismatch, file.Name, $"is {length} bytes, the manifest says {file.LengthBytes}");
            }

            return ReadAll(path, file.Name);
        });
    }

    /// <summary>Reads and verifies a checkpoint in the stream form.</summary>
    /// <exception cref="CheckpointException">The checkpoint breaks a rule; the message names the file and the rule.</exception>
    public static CheckpointContent ReadStream(Stream source)
    {
        Span<byte> prefix = stackalloc byte[16];
        if (!TryFill(source, prefix) || !prefix[..8].SequenceEqual(StreamMagic))
        {
            throw new CheckpointException(CheckpointError.MissingManifest, "stream", "does not start with SIMHCKP1: not a checkpoint stream");
        }

        var manifestLength = BinaryPrimitives.ReadInt64LittleEndian(prefix[8..]);
        if (manifestLength is <= 0 or > 64 * 1024 * 1024)
        {
            throw new CheckpointException(CheckpointError.BadManifest, CheckpointFileNames.Manifest, $"length {manifestLength} is out of range");
        }

        var manifestBytes = new byte[manifestLength];
        if (!TryFill(source, manifestBytes))
        {
            throw new CheckpointException(CheckpointError.LengthMismatch, CheckpointFileNames.Manifest, "the stream ends inside the manifest");
        }

        var manifest = CheckpointManifest.Decode(manifestBytes);
        return Assemble(manifest, file =>
        {
            if (file.LengthBytes is < 0 or > int.MaxValue)
            {
                throw new CheckpointException(CheckpointError.LengthMismatch, file.Name, $"length {file.LengthBytes} is out of range");
            }

            var bytes = GC.AllocateUninitializedArray<byte>((int)file.LengthBytes);
            if (!TryFill(source, bytes))
            {
                throw new CheckpointException(CheckpointError.LengthMismatch, file.Name, $"the stream ends before its {file.LengthBytes} bytes");
            }

            return bytes;
        });
    }

    /// <summary>Checks one file's bytes against its manifest entry (length and XxHash128).</summary>
    public static void Verify(ManifestFile file, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != file.LengthBytes)
        {
            throw new CheckpointException(CheckpointError.LengthMismatch, file.Name, $"is {bytes.Length} bytes, the manifest says {file.LengthBytes}");
        }

        var actual = XxHash128.HashToUInt128(bytes);
        if (actual != file.Hash)
        {
            throw new CheckpointException(CheckpointError.HashMismatch, file.Name, $"xxh128 is {CheckpointManifest.Hex(actual)}, the manifest says {CheckpointManifest.Hex(file.Hash)}");
        }
    }

    private static CheckpointContent Assemble(CheckpointManifest manifest, Func<ManifestFile, byte[]> read)
    {
        var byName = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            var bytes = read(file);
            Verify(file, bytes);
            if (!byName.TryAdd(file.Name, bytes))
            {
                throw new CheckpointException(CheckpointError.BadManifest, CheckpointFileNames.Manifest, $"lists {file.Name} twice");
            }
        }

        byte[] Get(string name) => byName.TryGetValue(name, out var bytes) ? bytes
            : throw new CheckpointException(CheckpointError.BadManifest, CheckpointFileNames.Manifest, $"does not list {name}");

        var generations = ReadEntityColumn(CheckpointFileNames.EntityTable, Get(CheckpointFileNames.EntityTable), manifest.Slots, out var slotHandles);
        for (var slot = 0; slot < slotHandles.Length; slot++)
        {
            if ((uint)slotHandles[slot] != (uint)slot)
            {
                throw new CheckpointException(CheckpointError.BadSegment, CheckpointFileNames.EntityTable, $"row {slot} holds slot {(uint)slotHandles[slot]}");
            }
        }

        ReadEntityColumn(CheckpointFileNames.FreeSlots, Get(CheckpointFileNames.FreeSlots), manifest.FreeSlotCount, out var freeHandles);
        var archetypes = new ArchetypeImage[manifest.Archetypes.Length];
        for (var a = 0; a < archetypes.Length; a++)
        {
            archetypes[a] = ReadArchetype(manifest, manifest.Archetypes[a], Get(manifest.Archetypes[a].File));
        }

        var world = new WorldImage
        {
            ChangeTick = manifest.ChangeTick,
            Generations = generations,
            FreeSlots = [.. freeHandles.Select(static h => (int)(uint)h)],
            Components = manifest.Components,
            Archetypes = archetypes,
        };
        WorldImageCheck.Check(world);
        return new CheckpointContent(world, manifest.Simulation, manifest.Run);
    }

    private static uint[] ReadEntityColumn(string name, byte[] bytes, int expectedRows, out ulong[] handles)
    {
        var (header, plan) = CheckpointSegment.Read(name, bytes);
        if (header.RowCount != expectedRows || plan.RowCapacity != expectedRows || plan.ColumnCount != 0)
        {
            throw new CheckpointException(CheckpointError.BadSegment, name, $"holds {header.RowCount} rows and {plan.ColumnCount} columns, the manifest says {expectedRows} rows and none");
        }

        handles = MemoryMarshal.Cast<byte, ulong>(bytes.AsSpan((int)plan.EntityColumnOffset, expectedRows * sizeof(ulong))).ToArray();
        var generations = new uint[handles.Length];
        for (var i = 0; i < handles.Length; i++)
        {
            generations[i] = (uint)(handles[i] >> 32);
        }

        return generations;
    }

    private static ArchetypeImage ReadArchetype(CheckpointManifest manifest, ManifestArchetype archetype, byte[] bytes)
    {
        var (header, plan) = CheckpointSegment.Read(archetype.File, bytes);
        var count = archetype.Components.Length;
        if (header.RowCount != archetype.Rows || plan.RowCapacity != archetype.Rows || plan.ColumnCount != 2 * count)
        {
            throw new CheckpointException(CheckpointError.BadSegment, archetype.File, $"holds {header.RowCount} rows and {plan.ColumnCount} columns, the manifest says {archetype.Rows} rows and {2 * count}");
        }

        var rows = archetype.Rows;
        var columns = new byte[count][];
        var ticks = new uint[count][];
        for (var c = 0; c < count; c++)
        {
            var component = manifest.Components[archetype.Components[c]];
            var data = plan.Column(2 * c);
            var tick = plan.Column((2 * c) + 1);
            if (data.ComponentId != (uint)c || data.LayoutHash != component.LayoutHash || data.ElementSizeBytes != component.SizeBytes
                || tick.ComponentId != (CheckpointSegment.TickColumnFlag | (uint)c) || tick.LayoutHash != CheckpointSegment.TickColumnLayoutHash || tick.ElementSizeBytes != sizeof(uint))
            {
                throw new CheckpointException(CheckpointError.BadSegment, archetype.File, $"column {c} is not {component.Name} and its ticks as the manifest says");
            }

            columns[c] = bytes.AsSpan((int)data.ColumnOffset, (int)data.ColumnLengthBytes).ToArray();
            ticks[c] = MemoryMarshal.Cast<byte, uint>(bytes.AsSpan((int)tick.ColumnOffset, (int)tick.ColumnLengthBytes)).ToArray();
        }

        return new ArchetypeImage
        {
            Components = archetype.Components,
            Rows = rows,
            Entities = MemoryMarshal.Cast<byte, ulong>(bytes.AsSpan((int)plan.EntityColumnOffset, rows * sizeof(ulong))).ToArray(),
            Columns = columns,
            ChangedTicks = ticks,
            LastChangedTicks = archetype.LastChangedTicks,
        };
    }

    private static List<(string Name, Func<Stream, XxHash128, long> Write)> FilesOf(CheckpointContent content)
    {
        var world = content.World;
        var frame = (ulong)(content.Simulation?.FrameCount ?? 0);
        var files = new List<(string, Func<Stream, XxHash128, long>)>
        {
            (CheckpointFileNames.EntityTable, (stream, hash) =>
            {
                var handles = new ulong[world.Generations.Length];
                for (var slot = 0; slot < handles.Length; slot++)
                {
                    handles[slot] = ((ulong)world.Generations[slot] << 32) | (uint)slot;
                }

                return CheckpointSegment.Write(stream, hash, frame, handles, []);
            }),
            (CheckpointFileNames.FreeSlots, (stream, hash) =>
            {
                var handles = new ulong[world.FreeSlots.Length];
                for (var i = 0; i < handles.Length; i++)
                {
                    var slot = world.FreeSlots[i];
                    handles[i] = ((ulong)world.Generations[slot] << 32) | (uint)slot;
                }

                return CheckpointSegment.Write(stream, hash, frame, handles, []);
            }),
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
                        MemoryMarshal.AsBytes(archetype.ChangedTicks[c].AsSpan(0, archetype.Rows)).ToArray());
                }

                return CheckpointSegment.Write(stream, hash, frame, archetype.Entities.AsSpan(0, archetype.Rows), columns);
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

    private static byte[] ReadAll(string path, string name)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(CheckpointError.Unreadable, name, $"cannot be read: {exception.Message}", exception);
        }
    }

    private static bool TryFill(Stream source, Span<byte> buffer)
    {
        try
        {
            source.ReadExactly(buffer);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
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
