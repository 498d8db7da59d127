using BenchmarkDotNet.Attributes;
using SimHost.Host.Ecs;
using SimHost.Host.Persistence;
using SimHost.Physics;

namespace SimHost.Benchmarks.Persistence;

/// <summary>
/// Writing a checkpoint of a particle world (what the background writer does: segment files hashed with XxHash128,
/// each fsynced, the manifest, the rename) against one plain sequential write of the same bytes (the checkpoint's own
/// files, one after the other) to one file, fsynced, in the same run (target: at least 70% of its throughput, ratio ≤ 1.43). <see cref="Capture"/> is the part
/// the frame thread pays: the copy of the world.
/// </summary>
public class CheckpointWriteBenchmarks
{
    private string _folder = string.Empty;
    private World? _world;
    private CheckpointContent? _content;
    private byte[] _plainBytes = [];
    private CaptureBuffers _buffers = new();
    private CheckpointStore? _store;
    private long _frame;

    /// <summary>Particles in the world.</summary>
    [Params(1_000_000, 4_000_000)]
    public int Count { get; set; }

    /// <summary>A seeded world, its checkpoint content, and a buffer of its checkpoint's files' bytes.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"simhost-bench-ckpt-{Guid.NewGuid():N}")).FullName;
        _world = new World();
        ParticlesModule.Seed(_world, Count, 42, PhysicsParameters.Default);
        _content = new CheckpointContent(_world.CaptureImage(), null, new Dictionary<string, string>());
        var probe = Path.Combine(_folder, "probe");
        CheckpointFiles.WriteDirectory(_content, probe);

        // The checkpoint's own bytes, in its manifest's order: on the reference VM the content of memory and files
        // changes how fast they are read (docs/benchmarks/README.md, twelfth pass).
        using (var bytes = new MemoryStream())
        {
            foreach (var file in CheckpointFiles.ReadManifest(probe).Files)
            {
                bytes.Write(File.ReadAllBytes(Path.Combine(probe, file.Name)));
            }

            _plainBytes = bytes.ToArray();
        }

        Directory.Delete(probe, recursive: true);
        _buffers = new CaptureBuffers();
        _world.CaptureImage(_buffers);
        _store = new CheckpointStore(Path.Combine(_folder, "store"), kept: 1);
    }

    /// <summary>Removes the written files.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    /// <summary>One sequential write of the checkpoint's bytes to one file, flushed to disk.</summary>
    [Benchmark(Baseline = true)]
    public void PlainFileWrite()
    {
        using var stream = new FileStream(Path.Combine(_folder, "plain"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        stream.Write(_plainBytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// The checkpoint written crash-safely as a run's background writer writes it (<see cref="CheckpointStore.Write"/>,
    /// one kept): over the files of the spare the store kept from the checkpoint it removed two writes before, the
    /// checkpoint before it then made the spare.
    /// </summary>
    [Benchmark]
    public void CheckpointWrite() => _store!.Write(++_frame, _content!);

    /// <summary>
    /// Reference: the checkpoint written into new files, the previous one then deleted (how a store wrote before the
    /// thirteenth pass, and how <c>WorldCheckpoint.Save</c> replaces a checkpoint).
    /// </summary>
    [Benchmark]
    public void CheckpointWriteIntoNewFiles() => CheckpointFiles.WriteDirectory(_content!, Path.Combine(_folder, "checkpoint"));

    /// <summary>Copying the world into new arrays (what <c>WorldCheckpoint.Save</c> does).</summary>
    /// <returns>The copy's live entities.</returns>
    [Benchmark]
    public long Capture() => _world!.CaptureImage().EntityCount;

    /// <summary>
    /// The frame thread's part in a run: copying the world into the arrays of the previous capture (the entity
    /// columns and table are skipped while the structure is unchanged; a run's moving columns, stamped whole, are
    /// recorded as one tick, which this seeded world's are not: their ticks are copied here).
    /// </summary>
    /// <returns>The copy's live entities.</returns>
    [Benchmark]
    public long CaptureIntoReusedBuffers() => _world!.CaptureImage(_buffers).EntityCount;
}
