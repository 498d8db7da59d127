using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;
using SimHost.Host.Ecs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Persistence;

/// <summary>
/// The fast way to load a checkpoint directory into a world: each file is read once, straight into the arrays the
/// world will keep (its columns, ticks and entity arrays, created with their exact row counts from the manifest), and
/// hashed as it passes, the reads and the hashing shared between up to <see cref="MaxThreads"/> cores
/// (<see cref="ParallelFileRead"/>). Every segment's header and column table are read into a small buffer and
/// validated before any rows are read; the world takes the arrays over only when every file, hash and rule checks out.
/// </summary>
/// <remarks>
/// It refuses by returning false, without saying why: <see cref="WorldCheckpoint"/> then reads the checkpoint with
/// <see cref="CheckpointFiles"/>, which checks the rules in their documented order and names the first one broken
/// (or loads the checkpoint, should this reader ever be stricter). So this reader only has to be at least as strict,
/// and a damaged checkpoint gets the same error as before, at the cost of a second read on the failure path only.
/// Measured before it existed (1M particles, Stopwatch around each step): fresh memory dominated a load, because the
/// files were read into new arrays and then copied into new columns, two first touches of every page.
/// </remarks>
internal static partial class CheckpointLoader
{
    /// <summary>
    /// Reads and hashes go in chunks of this size. Into a <see cref="LoadArena"/>, 4 MiB chunks let the two threads fault
    /// fewer huge pages at the same time than 1 MiB ones did (a harness, 1M particles, median of 30 loads: the reads took
    /// 8.1 ms in 1 MiB chunks, 5.5 in 4 MiB; 8 MiB no better).
    /// </summary>
    public const int ChunkBytes = 4 << 20;

    /// <summary>
    /// The most threads a load uses. One file's hash is sequential, so beyond a few threads the largest archetype's
    /// hash, not the reads, sets the pace.
    /// </summary>
    public const int MaxThreads = 4;

    private const int HeadBytes = 64 * 1024;
    private const int EntityTable = -1;
    private const int FreeSlots = -2;

    /// <summary>Loads the checkpoint directory <paramref name="directory"/> into the pristine <paramref name="world"/>.</summary>
    /// <param name="directory">The checkpoint directory.</param>
    /// <param name="world">The world to load into.</param>
    /// <param name="threads">The threads to use, the caller's included; by default one per core, at most <see cref="MaxThreads"/>.</param>
    /// <param name="chunkBytes">The largest read (tests make it small, to interleave the threads' chunks finely).</param>
    /// <param name="arena">
    /// Whether the world's arrays go to one <see cref="LoadArena"/> (else to managed arrays, as where no arena can be
    /// had): tests load both ways.
    /// </param>
    /// <returns>False, with nothing loaded, when anything does not check out or this reader does not handle the case.</returns>
    public static bool TryLoad(string directory, World world, int threads = 0, int chunkBytes = ChunkBytes, bool arena = true)
    {
        if (world.ColumnAllocator is not null || !world.IsPristine)
        {
            return false;
        }

        try
        {
            var manifestPath = Path.Combine(directory, CheckpointFileNames.Manifest);
            if (!File.Exists(manifestPath))
            {
                return false;
            }

            var manifest = CheckpointManifest.Decode(File.ReadAllBytes(manifestPath));
            var types = WorldCheckpoint.Resolve(manifest.Components);
            threads = threads > 0 ? threads : Math.Clamp(Environment.ProcessorCount, 1, MaxThreads);
            if (Read(directory, manifest, types, threads, chunkBytes, arena) is not { } loaded)
            {
                return false;
            }

            world.AdoptLoaded(loaded);
            return true;
        }
        catch (Exception exception) when (exception is CheckpointException or SegmentFormatException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static LoadedWorld? Read(string directory, CheckpointManifest manifest, ComponentType[] types, int threads, int chunkBytes, bool arena)
    {
        var archetypeCount = manifest.Archetypes.Length;
        if (archetypeCount == 0 || manifest.Slots < 0 || manifest.FreeSlotCount < 0 || manifest.FreeSlotCount > manifest.Slots)
        {
            return null;
        }

        // What the manifest says, checked before any file is opened.
        var roles = new Dictionary<string, int>(StringComparer.Ordinal) { [CheckpointFileNames.EntityTable] = EntityTable, [CheckpointFileNames.FreeSlots] = FreeSlots };
        var masks = new ComponentMask[archetypeCount];
        var seenMasks = new HashSet<ComponentMask>();
        for (var a = 0; a < archetypeCount; a++)
        {
            var archetype = manifest.Archetypes[a];
            if (archetype.Rows < 0 || archetype.LastChangedTicks.Length != archetype.Components.Length || !roles.TryAdd(archetype.File, a))
            {
                return null;
            }

            foreach (var component in archetype.Components)
            {
                if ((uint)component >= (uint)types.Length || masks[a].Has(types[component].Id))
                {
                    return null;
                }

                masks[a] = masks[a].With(types[component].Id);
            }

            // Archetype 0 is the empty one; every other has its own, non-empty set of components.
            if ((a == 0) != (archetype.Components.Length == 0) || !seenMasks.Add(masks[a]))
            {
                return null;
            }
        }

        // Every header is read and validated before any row, and the world's memory is created only once every header
        // has shown that its file holds the rows the manifest says: a manifest cannot make this reader allocate more
        // than the files it names hold.
        var names = new HashSet<string>(manifest.Files.Select(static f => f.Name), StringComparer.Ordinal);
        if (!roles.Keys.All(names.Contains))
        {
            return null;
        }

        var files = new List<OpenedFile>();
        LoadArena? arenaUsed = null;
        LoadedWorld? loaded = null;
        try
        {
            var frame = CheckpointSegment.FrameOf(manifest);
            var listed = new HashSet<string>(StringComparer.Ordinal);
            var head = new byte[HeadBytes];
            foreach (var file in manifest.Files)
            {
                if (Open(directory, file, roles, manifest, frame, listed, head) is not { } opened)
                {
                    return null;
                }

                files.Add(opened);
            }

            using var read = new ParallelFileRead(chunkBytes);
            var arenaBytes = LoadPlacement.ArenaBytes(
                manifest.Slots, manifest.Archetypes.Select(archetype => (archetype.Rows, archetype.Components.Select(c => types[c].SizeBytes))));
            arenaUsed = arena ? LoadArena.TryCreate(arenaBytes) : null;
            var placement = new LoadPlacement(arenaUsed, read);
            RowBuffer<EntityRecord>? records = null;
            var retired = new RetiredCount();
            int[]? freeSlots = null;
            var entities = new RowBuffer<Entity>[archetypeCount];
            var columns = new Column[archetypeCount][];
            foreach (var opened in files)
            {
                if (opened.Planned is not { } planned)
                {
                    // Listed but not part of the world: only its length and hash are checked.
                    read.AddFile(opened.Handle, opened.LengthBytes, opened.File.Hash, []);
                }
                else
                {
                    var index = read.AddFile(opened.Handle, opened.LengthBytes, opened.File.Hash, planned.Head);
                    var isPlanned = opened.Role switch
                    {
                        EntityTable => PlanEntityTable(read, placement, index, planned.Segment, manifest.Slots, retired, out records),
                        FreeSlots => PlanFreeSlots(read, index, planned.Segment, manifest.FreeSlotCount, out freeSlots),
                        _ => PlanArchetype(read, placement, index, planned.Segment, manifest, opened.Role, types, out entities[opened.Role], out columns[opened.Role]),
                    };
                    if (!isPlanned)
                    {
                        return null;
                    }
                }

                if (!AddGap(read, read.FileCount - 1, opened.LengthBytes))
                {
                    return null;
                }
            }

            if (!placement.IsArena)
            {
                PrepareTails(records, entities, columns);
            }

            if (!read.Run(threads) || records is not { } table || freeSlots is null)
            {
                return null;
            }

            table.Span[manifest.Slots..].Clear();
            loaded = Connect(manifest, table.Span, freeSlots, entities, retired.Slots) is { } entityCount
                ? new LoadedWorld
                {
                    ChangeTick = manifest.ChangeTick,
                    Records = table,
                    SlotCount = manifest.Slots,
                    FreeSlots = freeSlots,
                    FreeCount = manifest.FreeSlotCount,
                    EntityCount = entityCount,
                    Types = types,
                    Components = manifest.Components,
                    Masks = masks,
                    Entities = entities,
                    Columns = columns,
                }
                : null;
            return loaded;
        }
        finally
        {
            files.ForEach(static f => f.Handle.Dispose());

            // A refused checkpoint's pages go back now, not when a collection finds its arrays: the verifying reader
            // reads it again next.
            if (loaded is null)
            {
                arenaUsed?.Empty();
            }
        }
    }

    /// <summary>
    /// Opens a listed file and checks what can be checked before any of the world's memory exists: its length, and for
    /// a file of the world its header and column table against what the manifest says it holds.
    /// </summary>
    /// <returns>The open file, or null (nothing left open) when a rule is broken.</returns>
    private static OpenedFile? Open(string directory, ManifestFile file, Dictionary<string, int> roles, CheckpointManifest manifest, ulong frame, HashSet<string> listed, byte[] head)
    {
        var path = Path.Combine(directory, file.Name);
        if (!listed.Add(file.Name) || !File.Exists(path))
        {
            return null;
        }

        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        try
        {
            var length = RandomAccess.GetLength(handle);
            var isWorldFile = roles.TryGetValue(file.Name, out var role);
            var planned = length == file.LengthBytes && isWorldFile ? ReadPlan(handle, length, file.Name, head, frame) : null;
            var isKept = length == file.LengthBytes && (!isWorldFile || (planned is { } p && role switch
            {
                EntityTable => IsHandleSegment(p.Segment, manifest.Slots),
                FreeSlots => IsHandleSegment(p.Segment, manifest.FreeSlotCount),
                _ => HoldsArchetype(p.Segment, manifest, role),
            }));
            if (isKept)
            {
                return new OpenedFile(file, handle, length, isWorldFile ? role : 0, planned);
            }
        }
        catch
        {
            // A header that breaks a rule throws: the handle is not the caller's yet.
            handle.Dispose();
            throw;
        }

        handle.Dispose();
        return null;
    }

    /// <summary>A file of the checkpoint, open, its length known and, for a file of the world, its header and column table validated.</summary>
    private sealed record OpenedFile(ManifestFile File, SafeFileHandle Handle, long LengthBytes, int Role, ((SegmentHeader Header, SegmentPlan Plan) Segment, byte[] Head)? Planned);

    /// <summary>
    /// Checks that the archetypes' entities, the entity table and the free list form one world (the rules of
    /// <see cref="WorldImageCheck"/>) while pointing each live slot's record at its row.
    /// </summary>
    /// <remarks>
    /// Every slot that holds no live entity must be free or retired (generation <see cref="uint.MaxValue"/>), never
    /// both. That is checked by counting rather than by a pass over every slot: the free slots are distinct, dead and
    /// not retired (checked one by one), so they and the dead retired slots are disjoint sets of dead slots, and they
    /// cover all of them exactly when their sizes add up to the dead slots' count: one pass over the records fewer.
    /// <c>retiredSlots</c> counts the entity table's retired slots, live or not.
    /// </remarks>
    /// <returns>The live entities, or null when the rules do not hold.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int? Connect(CheckpointManifest manifest, Span<EntityRecord> records, int[] freeSlots, RowBuffer<Entity>[] entities, long retiredSlots)
    {
        var slots = manifest.Slots;
        long live = 0;
        long liveRetired = 0;
        for (var a = 0; a < entities.Length; a++)
        {
            var rows = entities[a].Span;
            for (var row = 0; row < rows.Length; row++)
            {
                var entity = rows[row];
                if ((uint)entity.Index >= (uint)slots)
                {
                    return null;
                }

                ref var record = ref records[entity.Index];
                if (record.Row >= 0 || record.Generation != entity.Generation || entity.Generation == 0)
                {
                    return null;
                }

                liveRetired += entity.Generation == uint.MaxValue ? 1 : 0;
                record.ArchetypeId = a;
                record.Row = row;
            }

            live += rows.Length;
        }

        // A free slot is marked by archetype -1 while the list is checked (the field means nothing while the row is
        // -1), so a slot listed twice is caught; the marks are taken off again below.
        var freeCount = manifest.FreeSlotCount;
        for (var i = 0; i < freeCount; i++)
        {
            var index = freeSlots[i];
            if ((uint)index >= (uint)slots)
            {
                return null;
            }

            ref var record = ref records[index];
            if (record.Row >= 0 || record.ArchetypeId < 0 || record.Generation == uint.MaxValue)
            {
                return null;
            }

            record.ArchetypeId = -1;
        }

        for (var i = 0; i < freeCount; i++)
        {
            records[freeSlots[i]].ArchetypeId = 0;
        }

        var dead = slots - live;
        return dead == freeCount + (retiredSlots - liveRetired) && live <= int.MaxValue ? (int)live : null;
    }
}
