using System.Text.RegularExpressions;
using SimHost.Host.Cli;
using SimHost.Host.Persistence;
using SimHost.Host.Running;
using SimHost.Host.SharedStorage;

namespace SimHost.Tests.Host.Running;

/// <summary>
/// A checkpoint a run cannot write fails the run with one line naming it, the newest complete checkpoint and how to go
/// on; that checkpoint is untouched, and a resume from it ends with the checksum of a run never interrupted.
/// </summary>
[NonParallelizable]
public sealed partial class UnwritableCheckpointTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("simhost-unwritable-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task AnUnwritableCheckpoint_FailsTheRunInOneLine_AndTheRunResumesFromTheOneBefore_BitExactly(
        [Values] StorageMode storage, [Values(1, 3)] int ticksPerFrame)
    {
        var checkpoints = Directory.CreateDirectory(Path.Combine(_folder, "checkpoints")).FullName;

        // A file where the checkpoint of frame 4 goes: its folder cannot be put in place, as on a full disk. Neither
        // checkpoint can be skipped: the first has none before it in flight, and the last frame's waits for the one before.
        var blocker = Path.Combine(checkpoints, "checkpoint-000000000004");
        await File.WriteAllTextAsync(blocker, "in the way");
        var settings = Settings(storage, ticksPerFrame) with { Frames = 4, CheckpointEvery = 2, CheckpointDirectory = checkpoints };

        var (exitCode, output, error) = await RunAsync(settings);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.RunFailed));
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.StartWith($"simhost: the run failed: checkpoint-000000000004 cannot be written to '{checkpoints}' ("));
            Assert.That(error, Does.EndWith($"; checkpoint-000000000002 is complete and untouched: free space or fix the folder, then continue with --resume '{checkpoints}'.\n"));
            Assert.That(error, Does.Not.Contain("   at ").And.Not.Contain("--log-file"), "no stack trace, nor a pointer to one");
            Assert.That(CheckpointStore.Newest(checkpoints), Does.EndWith("checkpoint-000000000002"), output);
            Assert.That(Directory.GetDirectories(checkpoints, ".*"), Is.Empty, "no temporary folder is left behind");
        });

        File.Delete(blocker);
        var (resumedExit, resumed, resumedError) = await RunAsync(Settings(storage, ticksPerFrame) with { Frames = 6, ResumeDirectory = checkpoints, CheckpointEvery = 2, CheckpointDirectory = checkpoints });
        var (straightExit, straight, _) = await RunAsync(Settings(storage, ticksPerFrame) with { Frames = 6 });

        Assert.Multiple(() =>
        {
            Assert.That(resumedExit, Is.EqualTo(ExitCodes.Success), resumedError);
            Assert.That(straightExit, Is.EqualTo(ExitCodes.Success));
            Assert.That(Checksum(resumed), Is.EqualTo(Checksum(straight)));
            Assert.That(CheckpointStore.Newest(checkpoints), Does.EndWith("checkpoint-000000000006"));
        });
    }

    [Test]
    public async Task AnUnwritableFirstCheckpoint_SaysNoneIsComplete()
    {
        var checkpoints = Directory.CreateDirectory(Path.Combine(_folder, "none")).FullName;
        await File.WriteAllTextAsync(Path.Combine(checkpoints, "checkpoint-000000000002"), "in the way");

        var (exitCode, _, error) = await RunAsync(Settings(StorageMode.Snapshot, 1) with { Frames = 2, CheckpointEvery = 2, CheckpointDirectory = checkpoints });

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.RunFailed));
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.EndWith("; no checkpoint of it is complete yet: free space or give another --checkpoint-dir and run it again.\n"));
        });
    }

    [Test]
    public async Task ARunKeepingOneCheckpoint_LeavesItAlone_NoSpare([Values] bool fails)
    {
        // Only a run's first checkpoint and its last frame's are never skipped: the first run writes checkpoint 4, the
        // resumed one checkpoint 8 (removing 4, which becomes the spare) and then 12, written over the spare or failing.
        var checkpoints = Directory.CreateDirectory(Path.Combine(_folder, "one-kept")).FullName;
        var settings = Settings(StorageMode.Shared, 1) with { CheckpointEvery = 4, CheckpointsKept = 1, CheckpointDirectory = checkpoints };
        var (firstExit, _, firstError) = await RunAsync(settings with { Frames = 4 });
        Assert.That(firstExit, Is.EqualTo(ExitCodes.Success), firstError);
        var blocker = Path.Combine(checkpoints, "checkpoint-000000000012");
        if (fails)
        {
            await File.WriteAllTextAsync(blocker, "in the way");
        }

        var (exitCode, _, error) = await RunAsync(settings with { Frames = 12, ResumeDirectory = checkpoints });

        var left = Directory.GetFileSystemEntries(checkpoints).Where(path => !(fails && path == blocker)).Select(Path.GetFileName).Where(static n => n != CheckpointStore.WriterLockFileName);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(fails ? ExitCodes.RunFailed : ExitCodes.Success), error);
            Assert.That(left, Is.EqualTo(new[] { fails ? "checkpoint-000000000008" : "checkpoint-000000000012" }), "one complete checkpoint, no spare or temporary folder");
        });
    }

    private static string Checksum(string summary) => ChecksumLine().Match(summary) is { Success: true } match ? match.Groups[1].Value : $"(no checksum in: {summary})";

    [GeneratedRegex("checksum: +([0-9a-f]{32})")]
    private static partial Regex ChecksumLine();

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(RunSettings settings)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ScenarioRun.ExecuteAsync(settings, new RunConsole(output, error, IsTerminal: false), startWorkers: null, CancellationToken.None);
        return (exitCode, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }

    private RunSettings Settings(StorageMode storage, int ticksPerFrame) => new()
    {
        Workers = 0,
        Entities = 1000,
        Storage = storage,
        TicksPerFrame = ticksPerFrame,
        RunDirectoryRoot = _folder,
        LogLevel = Serilog.Events.LogEventLevel.Warning,
    };
}
