using BenchmarkDotNet.Attributes;
using SimHost.Host.Ecs;
using SimHost.Host.Persistence;
using SimHost.Physics;

namespace SimHost.Benchmarks.Persistence;

/// <summary>
/// Loading a checkpoint of a particle world (every file read, its length and XXH3-128 checked, every segment header
/// validated, the world rebuilt) against one plain sequential read of the same bytes (the checkpoint's own files, one
/// after the other in one file) into one new array, given the huge-page advice a load gives, in the same run (target:
/// at least 70% of its throughput, ratio ≤ 1.43).
/// </summary>
/// <remarks>
/// <para>
/// Every invocation starts from fresh memory, as a resume does (a load is the first thing a resuming process does):
/// an aggressive collection before each one returns the previous invocation's memory to the system. Both sides read
/// the same bytes from the page cache into new memory advised for huge pages: the baseline into one new array of the
/// file's size, as a .NET program reads a file (<see cref="BulkArray.AllocateToFill{T}"/>, then
/// <see cref="BulkArray.PrepareTail"/>); the load, on Linux, into one fresh mapping of its own
/// (<see cref="LoadArena"/>, since the eighteenth pass) that holds the new world's columns, entity arrays and entity
/// records. <see cref="PlainReadIntoAFreshMapping"/> gives the plain read that memory too, for reference. The load also
/// hashes every byte, validates every header and the entity table, and fills the entity records (12 bytes per slot,
/// which the files do not hold as such).
/// </para>
/// <para>
/// Until the twelfth pass (docs/benchmarks/README.md) the baseline read a file of the same size filled with 0xA5. On
/// the reference VM a file's content changes how fast its page-cache pages are read: the checkpoint's own bytes took
/// 1.2-1.8 times as long as 0xA5s, zeros twice as long. The baseline now reads the checkpoint's own bytes, as the
/// target says.
/// </para>
/// <para>
/// Three references show where a load's time goes. <see cref="PlainReadIntoTheWorldsArrays"/> reads the checkpoint's
/// files plainly into new arrays of the sizes and in the order a load creates them: the load's memory and files without
/// the format's work (a world is several arrays, and on this VM several new arrays fill more slowly than one as large).
/// <see cref="PlainFileReadAllBytes"/> is the read as .NET does it (<see cref="File.ReadAllBytes"/>, a new array on
/// 4 KiB pages, where a page's first touch costs more than reading it from the page cache), and
/// <see cref="PlainFileReadIntoReusedMemory"/> the read into memory already touched, with no page to fault at all.
/// </para>
/// <para>
/// The load is measured once the JIT has optimized it, as BenchmarkDotNet means to measure. With one invocation per
/// iteration, the short job's three warm-up iterations ended inside JIT tiering: the load's code called once a load
/// (and, before the load hashed with <see cref="EagerXxHash128"/>, System.IO.Hashing's XXH3 loops) starts unoptimized.
/// At 1M, the tenth warm-up load took 36 ms and the eleventh 18 ms; fifteen warm-ups leave a margin. What a resume
/// pays for this, once, is in the whole-process resume figure (docs/benchmarks/README.md).
/// </para>
/// </remarks>
[InvocationCount(1, 1)]
[WarmupCount(15)]
public class CheckpointLoadBenchmarks
{
    private string _folder = string.Empty;
    private string _checkpoint = string.Empty;
    private string _plain = string.Empty;
    private byte[] _reused = [];
    private (string Path, int[] Arrays)[] _loadShape = [];

    /// <summary>Particles in the world.</summary>
    [Params(1_000_000, 4_000_000)]
    public int Count { get; set; }

    /// <summary>A checkpoint of a seeded world, and one plain file of its files' bytes, one after the other.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"simhost-bench-load-{Guid.NewGuid():N}")).FullName;
        var world = new World();
        ParticlesModule.Seed(world, Count, 42, PhysicsParameters.Default);
        _checkpoint = Path.Combine(_folder, "checkpoint");
        WorldCheckpoint.Save(world, _checkpoint);
        _plain = Path.Combine(_folder, "plain");
        using (var plain = File.Create(_plain))
        {
            // The checkpoint's own bytes, in its manifest's order: the content of a file changes how fast it reads.
            foreach (var file in CheckpointFiles.ReadManifest(_checkpoint).Files)
            {
                using var part = File.OpenRead(Path.Combine(_checkpoint, file.Name));
                part.CopyTo(plain);
            }
        }

        _reused = new byte[new FileInfo(_plain).Length];
        _reused.AsSpan().Fill(0x5A);
        _loadShape = LoadShape(_checkpoint);
    }

    /// <summary>
    /// Returns the previous invocation's memory to the system, so each one starts from fresh memory: the GC's arrays by
    /// the collection, a loaded world's arena (<see cref="LoadArena"/>) by its finalizer, waited for here so that it
    /// does not run beside the next invocation.
    /// </summary>
    [IterationSetup]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet calls its setup on the benchmark instance.")]
    public void ReturnMemory()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    /// <summary>Removes the files.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    /// <summary>One sequential read of the checkpoint's bytes, in one file, into a new array on the load's kind of pages.</summary>
    /// <returns>The bytes read.</returns>
    [Benchmark(Baseline = true)]
    public int PlainFileRead()
    {
        var destination = BulkArray.AllocateToFill<byte>(_reused.Length);
        BulkArray.PrepareTail(destination);
        return ReadInto(destination);
    }

    /// <summary>
    /// The checkpoint's files read plainly, each whole and front to back, into new arrays of the sizes and in the order
    /// a load creates them, readied as a load readies them (reference only: the load's memory without the format's
    /// work; nothing hashed, checked or converted).
    /// </summary>
    /// <returns>The bytes read.</returns>
    [Benchmark]
    public long PlainReadIntoTheWorldsArrays()
    {
        var arrays = _loadShape.Select(static file => file.Arrays.Select(BulkArray.AllocateToFill<byte>).ToArray()).ToArray();
        foreach (var array in arrays.SelectMany(static a => a))
        {
            BulkArray.PrepareTail(array);
        }

        long read = 0;
        for (var f = 0; f < _loadShape.Length; f++)
        {
            using var handle = File.OpenHandle(_loadShape[f].Path);
            var length = RandomAccess.GetLength(handle);

            // The file's bytes fill its arrays one after the other, each in as few reads as the system allows; what is
            // left (headers, padding, bitsets: a few KiB) goes to a small array of its own.
            long offset = 0;
            foreach (var array in arrays[f])
            {
                var count = (int)Math.Min(array.Length, length - offset);
                if (!ParallelFileRead.TryReadAt(handle, array.AsSpan(0, count), offset))
                {
                    throw new IOException($"{_loadShape[f].Path} ended early.");
                }

                offset += count;
            }

            if (offset < length && !ParallelFileRead.TryReadAt(handle, new byte[length - offset], offset))
            {
                throw new IOException($"{_loadShape[f].Path} ended early.");
            }

            read += length;
        }

        return read;
    }

    /// <summary>
    /// The same bytes read into one fresh mapping of the load's kind (<see cref="LoadArena"/>; reference only: the
    /// plain read given the memory a load now reads into). Linux only, as the arena is.
    /// </summary>
    /// <returns>The bytes read.</returns>
    [Benchmark]
    public unsafe int PlainReadIntoAFreshMapping()
    {
        var arena = LoadArena.TryCreate(_reused.Length) ?? throw new PlatformNotSupportedException("A load's mapping exists on Linux only.");
        var destination = new Span<byte>(arena.Place<byte>(_reused.Length), _reused.Length);
        using var handle = File.OpenHandle(_plain);
        var read = 0;
        while (read < destination.Length)
        {
            var count = RandomAccess.Read(handle, destination[read..], read);
            if (count == 0)
            {
                break;
            }

            read += count;
        }

        return read;
    }

    /// <summary>The same bytes read as <see cref="File.ReadAllBytes"/> does it, into a new array on 4 KiB pages (reference only).</summary>
    /// <returns>The bytes read.</returns>
    [Benchmark]
    public int PlainFileReadAllBytes() => File.ReadAllBytes(_plain).Length;

    /// <summary>The same bytes read into one array kept across invocations (reference only: no new memory to touch).</summary>
    /// <returns>The bytes read.</returns>
    [Benchmark]
    public int PlainFileReadIntoReusedMemory() => ReadInto(_reused);

    /// <summary>The checkpoint read, verified and loaded into a new world.</summary>
    /// <returns>The loaded world's entity count.</returns>
    [Benchmark]
    public int CheckpointLoad()
    {
        var world = new World();
        WorldCheckpoint.Load(_checkpoint, world);
        return world.EntityCount;
    }

    /// <summary>
    /// Each file of the checkpoint with the byte sizes of the arrays a load creates for it, in the load's order: the
    /// entity table's records (12 bytes a slot, at least 64 slots); an archetype's entity handles, then each
    /// component's change ticks and values (a column allocates its ticks first).
    /// </summary>
    private static (string Path, int[] Arrays)[] LoadShape(string checkpoint)
    {
        var manifest = CheckpointFiles.ReadManifest(checkpoint);
        var archetypes = manifest.Archetypes.ToDictionary(static a => a.File, StringComparer.Ordinal);
        return [.. manifest.Files.Select(file =>
        {
            int[] arrays = file.Name switch
            {
                CheckpointFileNames.EntityTable => [Math.Max(64, manifest.Slots) * 12],
                _ when archetypes.TryGetValue(file.Name, out var archetype) && archetype.Rows > 0 =>
                    [archetype.Rows * 8, .. archetype.Components.SelectMany(c => new[] { archetype.Rows * sizeof(uint), archetype.Rows * manifest.Components[c].SizeBytes })],
                _ => [],
            };
            return (Path.Combine(checkpoint, file.Name), arrays);
        })];
    }

    private int ReadInto(byte[] destination)
    {
        using var handle = File.OpenHandle(_plain);
        var read = 0;
        while (read < destination.Length)
        {
            var count = RandomAccess.Read(handle, destination.AsSpan(read), read);
            if (count == 0)
            {
                break;
            }

            read += count;
        }

        return read;
    }
}
