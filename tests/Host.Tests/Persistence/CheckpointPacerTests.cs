using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Persistence;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// A paced checkpoint write goes on by one share per frame, and never waits for frames that do not come once the run
/// stops pacing: the checkpoint it writes is the one an unpaced write writes.
/// </summary>
public sealed class CheckpointPacerTests
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(60);
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Path.Combine(Path.GetTempPath(), $"simhost-pacer-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public async Task Take_BeyondTheShare_GoesOnWhenAFrameEnds()
    {
        var pacer = new CheckpointPacer(framesToSpreadOver: 4);
        pacer.Start(totalBytes: 8 * CheckpointPacer.MinBytesPerFrame);
        pacer.Take((int)(2 * CheckpointPacer.MinBytesPerFrame));
        var blocked = Task.Run(() => pacer.Take(1));

        pacer.FrameEnded();

        Assert.That(await Task.WhenAny(blocked, Task.Delay(s_hangGuard)), Is.SameAs(blocked), "the writer hung after a frame granted its share");
    }

    [Test]
    public async Task Release_LetsAWaitingWriterFinish_WithoutFrames()
    {
        var pacer = new CheckpointPacer(framesToSpreadOver: 30);
        pacer.Start(totalBytes: 1);
        pacer.Take(int.MaxValue);
        var blocked = Task.Run(() => pacer.Take(1));

        pacer.Release();

        Assert.That(await Task.WhenAny(blocked, Task.Delay(s_hangGuard)), Is.SameAs(blocked), "the writer hung after the run stopped pacing");
    }

    [Test]
    public async Task PacedWriter_WritesTheSameCheckpoint_AsAnUnpacedOneAtNormalPriority()
    {
        var world = new World();
        var module = new ChurnModule();
        module.Seed(world, ModuleContext.For(module, seed: 11, entities: 50_000));
        var paced = new BackgroundCheckpointWriter(new CheckpointStore(Path.Combine(_folder, "paced"), 1), pacer: new CheckpointPacer(30));
        // At the frames' priority (--checkpoint-priority normal): where a checkpoint is written never changes what it holds.
        var unpaced = new BackgroundCheckpointWriter(new CheckpointStore(Path.Combine(_folder, "unpaced"), 1)) { AtLowestPriority = false };

        Assert.That(paced.TryStart(7, () => new CheckpointContent(world.CaptureImage(paced.Buffers), null, new Dictionary<string, string>())), Is.True);
        Assert.That(unpaced.TryStart(7, () => new CheckpointContent(world.CaptureImage(), null, new Dictionary<string, string>())), Is.True);
        paced.FrameEnded();
        var drained = paced.DrainAsync();
        Assert.That(await Task.WhenAny(drained, Task.Delay(s_hangGuard)), Is.SameAs(drained), "the paced write hung in DrainAsync");
        await drained;
        await unpaced.DrainAsync();

        foreach (var file in Directory.GetFiles(paced.Newest!))
        {
            Assert.That(File.ReadAllBytes(file), Is.EqualTo(File.ReadAllBytes(Path.Combine(unpaced.Newest!, Path.GetFileName(file)))), Path.GetFileName(file));
        }
    }
}
