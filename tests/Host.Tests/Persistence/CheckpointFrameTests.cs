using System.Buffers.Binary;
using System.IO.Hashing;
using SimHost.Host.Ecs;
using SimHost.Host.Persistence;
using SimHost.Physics;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// Every segment of a checkpoint carries the checkpoint's frame: a file of another checkpoint is refused even when the
/// manifest's hashes were rewritten to match it, and a manifest's frame count is never negative.
/// </summary>
public sealed class CheckpointFrameTests
{
    private const int FrameIdOffset = 40;
    private string _checkpoint = null!;

    [SetUp]
    public void SetUp()
    {
        _checkpoint = Path.Combine(Path.GetTempPath(), $"simhost-frame-{Guid.NewGuid():N}");
        var world = new World();
        ParticlesModule.Seed(world, 500, seed: 3, PhysicsParameters.Default);
        WorldCheckpoint.Save(world, _checkpoint);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_checkpoint, recursive: true);

    [TestCase("archetype-0001.seg")]
    [TestCase("entities.seg")]
    public void ASegmentOfAnotherFrame_RehashedIntoTheManifest_IsRefusedAsABadSegment(string file)
    {
        // A world saved alone is of frame 0; this file now says frame 7, and the manifest vouches for its bytes.
        var path = Path.Combine(_checkpoint, file);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(FrameIdOffset), 7);
        File.WriteAllBytes(path, bytes);
        var manifestPath = Path.Combine(_checkpoint, CheckpointFileNames.Manifest);
        var manifest = CheckpointManifest.Decode(File.ReadAllBytes(manifestPath));
        var files = manifest.Files.Select(f => f.Name == file ? f with { Hash = XxHash128.HashToUInt128(bytes) } : f).ToArray();
        File.WriteAllBytes(manifestPath, (manifest with { Files = files }).Encode());

        var world = new World();
        var refusal = Assert.Throws<CheckpointException>(() => WorldCheckpoint.Load(_checkpoint, world));

        Assert.Multiple(() =>
        {
            Assert.That(refusal!.Error, Is.EqualTo(CheckpointError.BadSegment));
            Assert.That(refusal.FileName, Is.EqualTo(file));
            Assert.That(refusal.Message, Does.Contain("is of frame 7, the checkpoint of frame 0"));
            Assert.That(world.IsPristine, Is.True, "nothing of it is loaded");
        });
    }

    [Test]
    public void AManifestWithANegativeFrameCount_IsABadManifest()
    {
        var manifestPath = Path.Combine(_checkpoint, CheckpointFileNames.Manifest);
        var manifest = CheckpointManifest.Decode(File.ReadAllBytes(manifestPath));
        var negative = (manifest with { Simulation = new SimulationImage(-5, 0, []) }).Encode();

        var refusal = Assert.Throws<CheckpointException>(() => CheckpointManifest.Decode(negative));

        Assert.Multiple(() =>
        {
            Assert.That(refusal!.Error, Is.EqualTo(CheckpointError.BadManifest));
            Assert.That(refusal.Message, Does.Contain("simulation.frameCount is negative"));
        });
    }
}
