using SimHost.Host.Cli;

namespace SimHost.Tests.Host.Cli;

/// <summary>The checkpoint flags of <c>simhost run</c>: read as given, defaults documented, bad combinations one line, exit 2.</summary>
public sealed class CheckpointFlagsTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"simhost-flags-{Guid.NewGuid():N}")).FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task CheckpointFlags_AreRead()
    {
        var (exitCode, settings, _, error) = await CommandLineRun.InvokeAsync(
            "run", "--checkpoint-every", "60", "--checkpoint-dir", "ckpt", "--checkpoints-kept", "5", "--resume", _folder);

        Assert.That(error, Is.Empty);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(settings!.CheckpointEvery, Is.EqualTo(60));
        Assert.That(settings.CheckpointDirectory, Is.EqualTo("ckpt"));
        Assert.That(settings.CheckpointsKept, Is.EqualTo(5));
        Assert.That(settings.ResumeDirectory, Is.EqualTo(_folder));
    }

    [Test]
    public async Task Resume_WithoutACheckpointDir_KeepsCheckpointingIntoTheResumedFolder()
    {
        var (_, settings, _, _) = await CommandLineRun.InvokeAsync("run", "--checkpoint-every", "10", "--resume", _folder);

        Assert.That(settings!.CheckpointDirectory, Is.EqualTo(_folder));
    }

    [Test]
    public async Task NoCheckpointFlags_WriteNoCheckpoints()
    {
        var (_, settings, _, _) = await CommandLineRun.InvokeAsync("run");

        Assert.That(settings!.CheckpointEvery, Is.Zero);
        Assert.That(settings.CheckpointsKept, Is.EqualTo(3));
        Assert.That(settings.ResumeDirectory, Is.Null);
    }

    [TestCase(new[] { "--checkpoint-every", "10" }, "--checkpoint-every needs --checkpoint-dir")]
    [TestCase(new[] { "--checkpoint-every", "-1", "--checkpoint-dir", "x" }, "--checkpoint-every accepts a whole number")]
    [TestCase(new[] { "--checkpoints-kept", "0" }, "--checkpoints-kept accepts a whole number from 1")]
    [TestCase(new[] { "--resume", "/nonexistent/simhost-checkpoints" }, "--resume '/nonexistent/simhost-checkpoints' is not a directory")]
    [TestCase(new[] { "--checkpoint-dir", "ckpt" }, "--checkpoint-dir is given but no checkpoint is written without --checkpoint-every N")]
    [TestCase(new[] { "--checkpoints-kept", "5" }, "--checkpoints-kept is given but no checkpoint is written without --checkpoint-every N")]
    [TestCase(new[] { "--checkpoint-priority", "normal" }, "--checkpoint-priority is given but no checkpoint is written without --checkpoint-every N")]
    [TestCase(new[] { "--checkpoint-every", "0", "--checkpoint-dir", "ckpt" }, "--checkpoint-dir is given but no checkpoint is written")]
    public async Task BadCheckpointFlags_AreOneLine_Exit2(string[] flags, string expected)
    {
        var (exitCode, settings, _, error) = await CommandLineRun.InvokeAsync(["run", .. flags]);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
        Assert.That(settings, Is.Null);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain(expected));
    }
}
