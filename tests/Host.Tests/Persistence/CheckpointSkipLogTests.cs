using Microsoft.Extensions.Logging;
using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Persistence;
using SimHost.Tests.Host.Workers;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// A machine too slow for the checkpoint interval skips most checkpoints: the first skip is a warning, the next ones are
/// Debug lines and one warning at most every <see cref="BackgroundCheckpointWriter.SkipWarningInterval"/>, counting them.
/// </summary>
public sealed class CheckpointSkipLogTests
{
    private string _folder = null!;
    private CheckpointContent _content = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"simhost-skiplog-{Guid.NewGuid():N}");
        var world = new World();
        var module = new ChurnModule();
        module.Seed(world, ModuleContext.For(module, seed: 5, entities: 300_000));
        _content = new CheckpointContent(world.CaptureImage(null), null, new Dictionary<string, string>());
        Assert.That(_content.World.PayloadBytes, Is.GreaterThan(2 * CheckpointPacer.MinBytesPerFrame), "a write longer than one frame's share");
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public async Task SkipsWithinTheInterval_AreOneWarning_TheRestDebug()
    {
        var logger = new CollectingLogger(LogLevel.Debug);
        var writer = new BackgroundCheckpointWriter(new CheckpointStore(_folder, 3), logger, new CheckpointPacer(1000)) { SkipWarningInterval = TimeSpan.FromHours(1) };

        Assert.That(writer.TryStart(1, () => _content), Is.True);
        for (var frame = 2; frame <= 6; frame++)
        {
            Assert.That(writer.TryStart(frame, () => _content), Is.False, "paced over 1000 frames of which none ends: still in flight");
        }

        await writer.DrainAsync();
        var skips = logger.Lines.Where(static l => l.Contains("skipped", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(writer.Skipped, Is.EqualTo(5));
            Assert.That(skips.Count(static l => l.StartsWith("Warning", StringComparison.Ordinal)), Is.EqualTo(1), string.Join("\n", skips));
            Assert.That(skips[0], Does.StartWith("Warning Checkpoint of frame 2 skipped"));
            Assert.That(skips.Skip(1), Has.All.StartWith("Debug Checkpoint of frame"));
        });
    }

    [Test]
    public async Task ASkipAfterTheInterval_WarnsWithTheCountSinceTheLastWarning()
    {
        var logger = new CollectingLogger(LogLevel.Information);
        var writer = new BackgroundCheckpointWriter(new CheckpointStore(_folder, 3), logger, new CheckpointPacer(1000)) { SkipWarningInterval = TimeSpan.Zero };

        Assert.That(writer.TryStart(1, () => _content), Is.True);
        Assert.That(writer.TryStart(2, () => _content), Is.False);
        Assert.That(writer.TryStart(3, () => _content), Is.False);
        await writer.DrainAsync();

        var warnings = logger.Lines.Where(static l => l.StartsWith("Warning", StringComparison.Ordinal)).ToList();
        Assert.That(warnings, Has.Count.EqualTo(2));
        Assert.That(warnings[1], Does.StartWith("Warning Checkpoints skipped since the last such warning: 1, up to frame 3;"));
    }
}
