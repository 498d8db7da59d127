using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SimHost.Host.Persistence;

/// <summary>
/// Turns a <see cref="CheckpointContent"/> into the checkpoint's files and back, as a directory (one file each, the
/// manifest last) or as one stream (<c>SIMHCKP1</c>, the manifest's length and bytes, then each file in manifest
/// order). Reading checks the manifest's own hash, then each file's length and hash, then each segment's header
/// rules and its agreement with the manifest, then the world's consistency: nothing is returned before all pass.
/// </summary>
internal static partial class CheckpointFiles
{
    /// <summary>The first 8 bytes of the stream form: ASCII <c>SIMHCKP1</c>.</summary>
    public static ReadOnlySpan<byte> StreamMagic => "SIMHCKP1"u8;

    /// <summary>Reads and verifies the checkpoint directory <paramref name="directory"/>.</summary>
    /// <exception cref="CheckpointException">The checkpoint breaks a rule; the message names the file and the rule.</exception>
    public static CheckpointContent ReadDirectory(string directory)
    {
        var manifest = ReadManifest(directory);
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

    /// <summary>
    /// Reads the manifest of the checkpoint directory <paramref name="directory"/> and checks its own hash and rules;
    /// the files it lists are not read (a load checks them).
    /// </summary>
    /// <exception cref="CheckpointException">The manifest is missing or breaks a rule.</exception>
    public static CheckpointManifest ReadManifest(string directory)
    {
        var manifestPath = Path.Combine(directory, CheckpointFileNames.Manifest);
        if (!File.Exists(manifestPath))
        {
            throw new CheckpointException(CheckpointError.MissingManifest, directory, "has no manifest: not a checkpoint, or one whose writing never finished");
        }

        return CheckpointManifest.Decode(ReadAll(manifestPath, CheckpointFileNames.Manifest));
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

    /// <summary>The error of a file whose length is not the manifest's.</summary>
    public static CheckpointException LengthMismatch(ManifestFile file, long actualBytes) =>
        new(CheckpointError.LengthMismatch, file.Name, $"is {actualBytes} bytes, the manifest says {file.LengthBytes}");

    /// <summary>Checks one file's bytes against its manifest entry (length and XXH3-128, by <see cref="EagerXxHash128"/>).</summary>
    public static void Verify(ManifestFile file, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != file.LengthBytes)
        {
            throw LengthMismatch(file, bytes.Length);
        }

        var hash = new EagerXxHash128();
        hash.Append(bytes);
        var actual = hash.GetCurrentHashAsUInt128();
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

        var generations = ReadEntityColumn(CheckpointFileNames.EntityTable, Get(CheckpointFileNames.EntityTable), manifest, manifest.Slots, out var slotHandles);
        for (var slot = 0; slot < slotHandles.Length; slot++)
        {
            if ((uint)slotHandles[slot] != (uint)slot)
            {
                throw new CheckpointException(CheckpointError.BadSegment, CheckpointFileNames.EntityTable, $"row {slot} holds slot {(uint)slotHandles[slot]}");
            }
        }

        ReadEntityColumn(CheckpointFileNames.FreeSlots, Get(CheckpointFileNames.FreeSlots), manifest, manifest.FreeSlotCount, out var freeHandles);
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

    private static uint[] ReadEntityColumn(string name, byte[] bytes, CheckpointManifest manifest, int expectedRows, out ulong[] handles)
    {
        var (header, plan) = CheckpointSegment.Read(name, bytes, CheckpointSegment.FrameOf(manifest));
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
        var (header, plan) = CheckpointSegment.Read(archetype.File, bytes, CheckpointSegment.FrameOf(manifest));
        var count = archetype.Components.Length;
        if (header.RowCount != archetype.Rows || plan.RowCapacity != archetype.Rows || plan.ColumnCount != 2 * count)
        {
            throw new CheckpointException(CheckpointError.BadSegment, archetype.File, $"holds {header.RowCount} rows and {plan.ColumnCount} columns, the manifest says {archetype.Rows} rows and {2 * count}");
        }

        var rows = archetype.Rows;
        // Slices of the file's bytes, not copies: the world copies them once, into its columns.
        var columns = new ReadOnlyMemory<byte>[count];
        var ticks = new ReadOnlyMemory<byte>[count];
        for (var c = 0; c < count; c++)
        {
            var component = manifest.Components[archetype.Components[c]];
            if (!CheckpointSegment.HoldsComponent(plan, c, component))
            {
                throw new CheckpointException(CheckpointError.BadSegment, archetype.File, $"column {c} is not {component.Name} and its ticks as the manifest says");
            }

            var data = plan.Column(2 * c);
            var tick = plan.Column((2 * c) + 1);
            columns[c] = bytes.AsMemory((int)data.ColumnOffset, (int)data.ColumnLengthBytes);
            ticks[c] = bytes.AsMemory((int)tick.ColumnOffset, (int)tick.ColumnLengthBytes);
        }

        return new ArchetypeImage
        {
            Components = archetype.Components,
            Rows = rows,
            Entities = bytes.AsMemory((int)plan.EntityColumnOffset, rows * sizeof(ulong)),
            Columns = columns,
            ChangedTicks = ticks,
            LastChangedTicks = archetype.LastChangedTicks,
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
}
