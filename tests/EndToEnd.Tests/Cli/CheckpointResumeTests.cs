using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using SimHost.Host.Persistence;
using SimHost.Tests.EndToEnd.Support;

namespace SimHost.Tests.EndToEnd.Cli;

/// <summary>
/// A real simhost killed with SIGKILL while it checkpoints (right after a checkpoint of a chosen frame started, so
/// usually while it is being written) and then run again with <c>--resume</c> ends with the checksum of the run that
/// was never killed: for several seeds and kill frames, 0, 1 and 2 workers and both storage modes. Nothing is left
/// behind but complete checkpoints (and the writers' lock file) in the checkpoint folder.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class CheckpointResumeTests : RunningSimHostFixture
{
    private const string Entities = "150000";
    private const int Frames = 80;
    private static readonly ConcurrentDictionary<ulong, string> s_reference = new();

    [SetUp]
    public void ForgetThePreviousTestsHost() => SimHost = null;

    [TestCase(0, "snapshot", 1UL, 4)]
    [TestCase(1, "shared", 2UL, 6)]
    [TestCase(2, "snapshot", 3UL, 2)]
    [TestCase(2, "shared", 4UL, 10)]
    [TestCase(1, "snapshot", 5UL, 8)]
    [TestCase(0, "shared", 6UL, 12)]
    public async Task KilledWhileCheckpointing_ResumesToTheUninterruptedChecksum(int workers, string storage, ulong seed, int killAfterFrame)
    {
        var expected = await ReferenceChecksumAsync(seed);
        var checkpoints = Folder.Subfolder("checkpoints");
        var common = Arguments(workers, storage, seed);

        // Unbounded, so it is surely still running when the kill lands; a checkpoint that falls due while the previous
        // one is still being written is skipped, so the first one started at or after the kill frame is awaited.
        SimHost = SimHostProcess.Start([.. Arguments(workers, storage, seed, frames: 0), "--checkpoint-every", "2", "--checkpoint-dir", checkpoints, "--checkpoints-kept", "2", "--log-level", "debug"]);
        await SimHost.WaitForErrorLineAsync(line => line.Contains(" written to ", StringComparison.Ordinal), "a first complete checkpoint");
        await SimHost.WaitForErrorLineAsync(line => StartedFrame(line) >= killAfterFrame, $"a checkpoint of frame {killAfterFrame} or later starting");
        await SimHost.SignalAsync("KILL", wholeGroup: false);
        var killedExit = await SimHost.WaitForExitAsync("simhost after SIGKILL");
        await WaitForWorkersToExitAsync(WorkerMarker(SimHost));
        Assert.That(killedExit, Is.EqualTo(137), "the host died of SIGKILL before it finished");
        SimHost.Dispose();
        SimHost = null;
        var newest = Directory.GetDirectories(checkpoints, "checkpoint-*").Max() ?? string.Empty;
        var resumedAt = int.Parse(Path.GetFileName(newest)["checkpoint-".Length..], CultureInfo.InvariantCulture);
        Assume.That(resumedAt, Is.LessThan(Frames), "the killed run had not passed the resumed run's last frame");

        SimHost = SimHostProcess.Start([.. common, "--checkpoint-every", "2", "--checkpoints-kept", "2", "--resume", checkpoints]);
        var exitCode = await SimHost.WaitForExitAsync("the resumed simhost");

        var stderr = string.Join('\n', SimHost.ErrorLines);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, stderr);
            Assert.That(SimHost.Checksum(), Is.EqualTo(expected), $"the resumed run's checksum; stderr:\n{stderr}");
            Assert.That(CheckpointsDue(SimHost.Output), Is.EqualTo((Frames / 2) - (resumedAt / 2)), "the summary counts every checkpoint due after the resume, written or skipped");
            Assert.That(
                Directory.GetFileSystemEntries(checkpoints).Select(Path.GetFileName).Where(static n => n != CheckpointStore.WriterLockFileName),
                Is.Not.Empty.And.All.Match(@"^checkpoint-\d{12}$"),
                "only complete checkpoints (and the writers' lock file) are left in the checkpoint folder");
            Assert.That(CheckpointStore.List(checkpoints), Has.Count.LessThanOrEqualTo(2), "--checkpoints-kept 2");
            Assert.That(CheckpointStore.Newest(checkpoints), Does.EndWith($"checkpoint-{Frames:D12}"), "the last frame's checkpoint is never skipped");
        });
    }

    [TestCase(0, "snapshot", 2UL, 7)]
    [TestCase(2, "shared", 4UL, 3)]
    public async Task ARunEndingBetweenDueCheckpoints_KeepsItsLastFrame_AndALongerRunResumesFromIt(int workers, string storage, ulong seed, int frames)
    {
        // --frames 7 or 3 with a checkpoint every 5: the last frame is not due, and is written all the same.
        var checkpoints = Folder.Subfolder("checkpoints");
        var (firstExit, first) = await SimHostProcess.RunAsync([.. Arguments(workers, storage, seed, frames), "--checkpoint-every", "5", "--checkpoint-dir", checkpoints]);
        var (referenceExit, reference) = await SimHostProcess.RunAsync(Arguments(0, "snapshot", seed, frames + 6));
        var (resumedExit, resumed) = await SimHostProcess.RunAsync([.. Arguments(workers, storage, seed, frames + 6), "--resume", checkpoints]);
        using (first)
        using (reference)
        using (resumed)
        {
            Assert.Multiple(() =>
            {
                Assert.That((firstExit, referenceExit, resumedExit), Is.EqualTo((0, 0, 0)), string.Join('\n', [.. first.ErrorLines, .. resumed.ErrorLines]));
                Assert.That(CheckpointStore.Newest(checkpoints), Does.EndWith($"checkpoint-{frames:D12}"), "the run's last frame is its newest checkpoint");
                Assert.That(resumed.ErrorLines, Has.Some.Contain($"Resumed at frame {frames} "));
                Assert.That(resumed.Checksum(), Is.EqualTo(reference.Checksum()), "the resumed run's checksum");
            });
        }
    }

    [TestCase(0, "shared", 1UL)]
    [TestCase(1, "snapshot", 4UL)]
    [TestCase(2, "shared", 5UL)]
    [TestCase(2, "snapshot", 2UL)]
    public async Task StoppedBySigterm_CheckpointsTheFrameItStoppedAt_AndResumesToTheUninterruptedChecksum(int workers, string storage, ulong seed)
    {
        // A service stopped (SIGTERM) between checkpoints: its last frames are kept, not run again after the restart.
        var checkpoints = Folder.Subfolder("checkpoints");
        SimHost = SimHostProcess.Start([.. Arguments(workers, storage, seed, frames: 0), "--checkpoint-every", "5", "--checkpoint-dir", checkpoints, "--log-level", "debug"]);
        await SimHost.WaitForErrorLineAsync(line => line.Contains(" written to ", StringComparison.Ordinal), "a first complete checkpoint");
        await SimHost.SignalAsync("TERM", wholeGroup: false);
        var stoppedExit = await SimHost.WaitForExitAsync("simhost after SIGTERM");
        var stopped = SimHost;
        SimHost = null;
        using (stopped)
        {
            var stoppedAt = int.Parse(Regex.Match(stopped.Output, @"frames:\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.Multiple(() =>
            {
                Assert.That(stoppedExit, Is.Zero, string.Join('\n', stopped.ErrorLines));
                Assert.That(stopped.Output, Does.Match(@"stopped by:\s+SIGTERM"));
                Assert.That(CheckpointStore.Newest(checkpoints), Does.EndWith($"checkpoint-{stoppedAt:D12}"), "the frame the stop ended at is the newest checkpoint");
            });

            var frames = stoppedAt + 7;
            var (referenceExit, reference) = await SimHostProcess.RunAsync(Arguments(0, "snapshot", seed, frames));
            var (resumedExit, resumed) = await SimHostProcess.RunAsync([.. Arguments(workers, storage, seed, frames), "--resume", checkpoints]);
            using (reference)
            using (resumed)
            {
                Assert.That((referenceExit, resumedExit), Is.EqualTo((0, 0)), string.Join('\n', [.. reference.ErrorLines, .. resumed.ErrorLines]));
                Assert.That(resumed.ErrorLines, Has.Some.Contain($"Resumed at frame {stoppedAt} "), "the resume starts where the stop ended");
                Assert.That(resumed.Checksum(), Is.EqualTo(reference.Checksum()), "the resumed run's checksum");
            }
        }
    }

    [TestCase(0, "shared")]
    [TestCase(2, "snapshot")]
    public async Task Grazers_StoppedAndResumed_EndWithTheUninterruptedChecksum(int workers, string storage)
    {
        // Grazers are born and die every frame and a system filters on changed rows: the entity table, the free list,
        // the changed ticks and the systems' cursors all decide the answer.
        var checkpoints = Folder.Subfolder("checkpoints");
        string[] Grazers(int frames, int runWorkers, string runStorage) =>
        [
            "--module", TestPaths.GrazersAssembly, "--workers", runWorkers.ToString(CultureInfo.InvariantCulture), "--storage", runStorage,
            "--frames", frames.ToString(CultureInfo.InvariantCulture), "--run-dir", Folder.RunRoot,
        ];

        var (referenceExit, reference) = await SimHostProcess.RunAsync(Grazers(40, 0, "snapshot"));
        var (firstExit, first) = await SimHostProcess.RunAsync([.. Grazers(15, workers, storage), "--checkpoint-every", "15", "--checkpoint-dir", checkpoints]);
        var (resumedExit, resumed) = await SimHostProcess.RunAsync([.. Grazers(40, workers, storage), "--resume", checkpoints]);
        using (reference)
        using (first)
        using (resumed)
        {
            Assert.That((referenceExit, firstExit, resumedExit), Is.EqualTo((0, 0, 0)), string.Join('\n', resumed.ErrorLines));
            Assert.That(resumed.Checksum(), Is.EqualTo(reference.Checksum()));
            Assert.That(first.Output, Does.Contain("checkpoints:     1 written, 0 skipped\n"), "the first run's summary counts its one checkpoint");
        }
    }

    [Test]
    public async Task Grazers_CheckpointRecordsTheStartingHerd_AndAResumeNeedsTheSameEntities()
    {
        // --entities is the grazers' starting herd, so a checkpoint's "entities" is the herd it was seeded with: a resume
        // with another --entities (here the default, 50000) is refused, one with the same count continues.
        var checkpoints = Folder.Subfolder("checkpoints");
        string[] Grazers(int frames, params string[] entities) =>
        [
            "--module", TestPaths.GrazersAssembly, "--param", "field=16", .. entities, "--workers", "0",
            "--frames", frames.ToString(CultureInfo.InvariantCulture), "--run-dir", Folder.RunRoot,
        ];

        var (firstExit, first) = await SimHostProcess.RunAsync([.. Grazers(4, "--entities", "500"), "--checkpoint-every", "2", "--checkpoint-dir", checkpoints]);
        var (refusedExit, refused) = await SimHostProcess.RunAsync([.. Grazers(8), "--resume", checkpoints]);
        var (resumedExit, resumed) = await SimHostProcess.RunAsync([.. Grazers(8, "--entities", "500"), "--resume", checkpoints]);
        using (first)
        using (refused)
        using (resumed)
        {
            var errors = refused.ErrorLines.Where(static l => l.StartsWith("simhost:", StringComparison.Ordinal)).ToArray();
            Assert.Multiple(() =>
            {
                Assert.That((firstExit, refusedExit, resumedExit), Is.EqualTo((0, 2, 0)), string.Join('\n', [.. refused.ErrorLines, .. resumed.ErrorLines]));
                Assert.That(errors, Has.Length.EqualTo(1));
                Assert.That(errors.FirstOrDefault(), Does.Contain("written with entities 500, this run has entities 50000"));
            });
        }
    }

    [Test]
    public async Task Resume_WithAnotherSeed_IsRefusedInOneLine_Exit2()
    {
        var checkpoints = Folder.Subfolder("checkpoints");
        var (written, _) = await SimHostProcess.RunAsync([.. Arguments(0, "snapshot", 1, frames: 4), "--checkpoint-every", "2", "--checkpoint-dir", checkpoints]);
        Assert.That(written, Is.Zero);

        var (exitCode, resumed) = await SimHostProcess.RunAsync([.. Arguments(0, "snapshot", 2, frames: 8), "--resume", checkpoints]);
        using (resumed)
        {
            var errors = resumed.ErrorLines.Where(static l => l.StartsWith("simhost:", StringComparison.Ordinal)).ToArray();
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(errors, Has.Length.EqualTo(1));
            Assert.That(errors[0], Does.Contain("seed 1").And.Contain("seed 2"));
        }
    }

    // Every executor and storage, one and three ticks per frame (the seed decides, see TicksPerFrame).
    [TestCase("archetype-0001.seg", "HashMismatch", 0, "snapshot", 1UL)]
    [TestCase("entities.seg", "HashMismatch", 1, "shared", 4UL)]
    [TestCase("manifest", "ManifestHashMismatch", 2, "snapshot", 5UL)]
    [TestCase("archetype-0001.seg", "HashMismatch", 2, "shared", 2UL)]
    [TestCase("manifest", "ManifestHashMismatch", 0, "shared", 6UL)]
    public async Task Resume_FromADamagedCheckpoint_NamesTheFileAndTheRule_Exit1(string file, string rule, int workers, string storage, ulong seed)
    {
        var checkpoints = Folder.Subfolder("checkpoints");
        var (written, _) = await SimHostProcess.RunAsync([.. Arguments(workers, storage, seed, frames: 4), "--checkpoint-every", "2", "--checkpoint-dir", checkpoints]);
        Assert.That(written, Is.Zero);

        // The newest checkpoint's manifest still matches the run: the damage is found by the load, which names it.
        var newest = Directory.GetDirectories(checkpoints, "checkpoint-*").Order(StringComparer.Ordinal).Last();
        var path = Path.Combine(newest, file);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var (exitCode, resumed) = await SimHostProcess.RunAsync([.. Arguments(workers, storage, seed, frames: 8), "--resume", checkpoints]);
        using (resumed)
        {
            var errors = resumed.ErrorLines.Where(static l => l.StartsWith("simhost:", StringComparison.Ordinal)).ToArray();
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(errors, Has.Length.EqualTo(1));
            Assert.That(errors[0], Does.Contain(file).And.Contain(rule).And.Contain("aside"));
            Assert.That(resumed.ErrorLines, Has.None.Contains("   at "), "a damaged checkpoint is a one-line error, not a stack trace");
        }
    }

    // The summary's "checkpoints:     N written, M skipped": which are skipped depends on the disk, their sum does not.
    private static int CheckpointsDue(string output)
    {
        var line = Regex.Match(output, @"checkpoints:\s+(\d+) written, (\d+) skipped");
        Assert.That(line.Success, Is.True, $"a checkpoints line in the summary:\n{output}");
        return int.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture) + int.Parse(line.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    private string[] Arguments(int workers, string storage, ulong seed, int frames = Frames) =>
    [
        "--workers", workers.ToString(CultureInfo.InvariantCulture), "--storage", storage, "--entities", Entities,
        "--frames", frames.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture), "--run-dir", Folder.RunRoot,
        "--ticks-per-frame", TicksPerFrame(seed).ToString(CultureInfo.InvariantCulture),
    ];

    // Seeds 4 to 6 (both storages, 0 to 2 workers) run several ticks per frame; the seed decides, so the reference
    // checksum cached per seed is the one of the same ticks.
    private static int TicksPerFrame(ulong seed) => seed >= 4 ? 3 : 1;

    private async Task<string> ReferenceChecksumAsync(ulong seed)
    {
        if (s_reference.TryGetValue(seed, out var known))
        {
            return known;
        }

        var (exitCode, process) = await SimHostProcess.RunAsync(Arguments(0, "snapshot", seed));
        using (process)
        {
            Assert.That(exitCode, Is.Zero, string.Join('\n', process.ErrorLines));
            return s_reference[seed] = process.Checksum();
        }
    }

    private static async Task WaitForWorkersToExitAsync(string marker)
    {
        // A worker whose host died sees its pipe close and exits; give it a generous while, then fail naming it.
        for (var attempt = 0; attempt < 600 && ProcessCensus.FindWorkers(marker).Count > 0; attempt++)
        {
            await Task.Delay(100);
        }

        var left = ProcessCensus.FindWorkers(marker);
        ProcessCensus.Kill(left);
        Assert.That(left, Is.Empty, "workers of the killed host still running 60 s after it died");
    }

    private static int StartedFrame(string line)
    {
        var match = StartedLine().Match(line);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    [GeneratedRegex(@"Checkpoint of frame (\d+) started")]
    private static partial Regex StartedLine();
}
