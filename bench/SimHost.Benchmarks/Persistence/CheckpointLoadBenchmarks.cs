using BenchmarkDotNet.Attributes;
using SimHost.Host.Ecs;
using SimHost.Host.Persistence;
using SimHost.Physics;

namespace SimHost.Benchmarks.Persistence;

/// <summary>
/// Loading a checkpoint of a particle world (every file read, its length and XXH3-128 checked, every segment header
/// validated, the world rebuilt) against one plain sequential read of a file of the same size into the same kind of
/// memory, in the same run (target: at least 70% of its throughput, ratio ≤ 1.43).
/// </summary>
/// <remarks>
/// <para>
/// Every invocation starts from fresh memory, as a resume does (a load is the first thing a resuming process does):
/// an aggressive collection before each one returns the previous invocation's memory to the system. Both sides read
/// the same number of bytes from the page cache into new memory given the same huge-page advice
/// (<see cref="BulkArray.AllocateToFill{T}"/>, then <see cref="BulkArray.PrepareTail"/>): the baseline one array of the
/// file's size, the load a new world whose columns, entity arrays and entity records the bytes are read straight into. The load also hashes every byte,
/// validates every header and the entity table, and fills the entity records (12 bytes per slot, which the files do
/// not hold as such).
/// </para>
/// <para>
/// Without the collection the figure measured the garbage collector instead: the plain read's one array was handed
/// back its own touched memory every time, while every other load got new memory (14 and 100 ms alternating at 1M).
/// Two references show what the memory costs on this VM, where a 4 KiB page's first touch costs more than reading it
/// from the page cache: <see cref="PlainFileReadAllBytes"/>, the read as .NET does it (<see cref="File.ReadAllBytes"/>,
/// a new array on 4 KiB pages), and <see cref="PlainFileReadIntoReusedMemory"/>, the read into memory already
/// touched, with no page to fault at all.
/// </para>
/// <para>
/// A third reference, <see cref="PlainReadIntoTheLoadsArrays"/>, reads the checkpoint's own files plainly into new
/// arrays of the sizes and in the order a load creates them: the load's memory and files without the format's work
/// (on one thread, where the load uses two; and the entity records' last third, which the load writes while converting
/// the handles, is left untouched). On the reference VM it cost 2.7-3.3 times the baseline at 1M
/// (docs/benchmarks/README.md, eleventh pass), so the gap between the load and the baseline is mostly where the bytes
/// go, not what the load does with them.
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

    /// <summary>A checkpoint of a seeded world, and a plain file as large as its files together.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"simhost-bench-load-{Guid.NewGuid():N}")).FullName;
        var world = new World();
        ParticlesModule.Seed(world, Count, 42, PhysicsParameters.Default);
        _checkpoint = Path.Combine(_folder, "checkpoint");
        WorldCheckpoint.Save(world, _checkpoint);
        var bytes = Directory.GetFiles(_checkpoint).Sum(static f => new FileInfo(f).Length);
        _plain = Path.Combine(_folder, "plain");
        var buffer = new byte[bytes];
        buffer.AsSpan().Fill(0xA5);
        File.WriteAllBytes(_plain, buffer);
        _reused = new byte[bytes];
        _reused.AsSpan().Fill(0x5A);
        _loadShape = LoadShape(_checkpoint);
    }

    /// <summary>Returns the previous invocation's memory to the system, so each one starts from fresh memory.</summary>
    [IterationSetup]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet calls its setup on the benchmark instance.")]
    public void ReturnMemory() => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>Removes the files.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    /// <summary>One sequential read of a file as large as the checkpoint, into a new array on the load's kind of pages.</summary>
    /// <returns>The bytes read.</returns>
    [Benchmark(Baseline = true)]
    public int PlainFileRead()
    {
        var destination = BulkArray.AllocateToFill<byte>(_reused.Length);
        BulkArray.PrepareTail(destination);
        return ReadInto(destination);
    }

    /// <summary>The same read as <see cref="File.ReadAllBytes"/> does it, into a new array on 4 KiB pages (reference only).</summary>
    /// <returns>The bytes read.</returns>
    [Benchmark]
    public int PlainFileReadAllBytes() => File.ReadAllBytes(_plain).Length;

    /// <summary>The same read into one array kept across invocations (reference only: no new memory to touch).</summary>
    /// <returns>The bytes read.</returns>
    [Benchmark]
    public int PlainFileReadIntoReusedMemory() => ReadInto(_reused);

    /// <summary>
    /// The checkpoint's files read plainly (1 MiB reads, nothing hashed, checked or converted) into new arrays of the
    /// sizes and in the order a load creates them, readied the same way (reference only: what the load's own memory
    /// costs, without the format's work).
    /// </summary>
    /// <returns>The bytes read.</returns>
    [Benchmark]
    public long PlainReadIntoTheLoadsArrays()
    {
        var arrays = _loadShape.Select(static file => file.Arrays.Select(BulkArray.AllocateToFill<byte>).ToArray()).ToArray();
        foreach (var array in arrays.SelectMany(static a => a))
        {
            BulkArray.PrepareTail(array);
        }

        long read = 0;
        var scratch = new byte[CheckpointLoader.ChunkBytes];
        for (var f = 0; f < _loadShape.Length; f++)
        {
            using var handle = File.OpenHandle(_loadShape[f].Path);
            var length = RandomAccess.GetLength(handle);
            var (array, at) = (0, 0);
            for (long offset = 0; offset < length;)
            {
                // The file's bytes fill its arrays one after the other; what is left over (headers, padding, bitsets)
                // goes to a scratch buffer.
                var destination = array < arrays[f].Length ? arrays[f][array].AsSpan(at) : scratch.AsSpan();
                var chunk = (int)Math.Min(Math.Min(destination.Length, CheckpointLoader.ChunkBytes), length - offset);
                if (!ParallelFileRead.TryReadAt(handle, destination[..chunk], offset))
                {
                    throw new IOException($"{_loadShape[f].Path} ended early.");
                }

                offset += chunk;
                read += chunk;
                if (array < arrays[f].Length && (at += chunk) == arrays[f][array].Length)
                {
                    (array, at) = (array + 1, 0);
                }
            }
        }

        return read;
    }

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
