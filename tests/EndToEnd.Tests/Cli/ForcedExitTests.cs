using SimHost.Host.Ecs;
using SimHost.Host.Persistence;
using SimHost.Tests.EndToEnd.Support;

namespace SimHost.Tests.EndToEnd.Cli;

/// <summary>
/// A job that never returns, running in the host (<c>--workers 0</c>), cannot be stopped: the first Ctrl-C or SIGTERM
/// says the run stops once the frame ends and that a second one ends simhost at once. The second one does: the
/// process ends by the signal (exit 130 or 143), without the summary, and its run directory is removed before it goes;
/// no worker outlives it. While the world is seeded, or loaded from a checkpoint, the first signal does so already, and
/// the checkpoint stays whole. With workers, a job that hung one is never run in the host, so the first signal stops
/// the run, and once every worker slot is down the run stops by itself.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ForcedExitTests : RunningSimHostFixture
{
    [TestCase("TERM", false, 143)]
    [TestCase("INT", true, 130)]
    public async Task ASecondSignal_EndsAHungRunAtOnce_AndLeavesNothingBehind(string signal, bool wholeGroup, int expectedExit)
    {
        // Only with --workers 0 does a job hang in the host: one that hung a worker is never run there. The timeout is
        // short so the warning comes early.
        SimHost = SimHostProcess.StartInOwnProcessGroup(
            "--module", TestPaths.HangingModuleAssembly, "--workers", "0",
            "--job-timeout", "250ms", "--frames", "0", "--run-dir", Folder.RunRoot);

        var overdue = await SimHost.WaitForErrorLineAsync(line => line.Contains("has run in the host for", StringComparison.Ordinal), "the warning that a range in the host is overdue");
        var runtimeFiles = RuntimeFilesOf(SimHost.ProcessId);
        Assert.That(runtimeFiles.Where(File.Exists), Is.Not.Empty, "the host's runtime made its diagnostic files");
        Assert.That(overdue, Does.Contain("past the job timeout (250ms)"), "--job-timeout applies to ranges in the host, with or without workers");
        Assert.That(Directory.GetFileSystemEntries(Folder.RunRoot), Has.Length.EqualTo(1), "the run directory exists while the run hangs");

        await SimHost.SignalAsync(signal, wholeGroup);
        await SimHost.WaitForErrorLineAsync(line => line.Contains("again ends simhost at once", StringComparison.Ordinal), "the answer to the first signal");
        await SimHost.SignalAsync(signal, wholeGroup);
        var exitCode = await SimHost.WaitForExitAsync($"simhost after a second SIG{signal}");

        var stderr = string.Join('\n', SimHost.ErrorLines);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(expectedExit), $"ended by SIG{signal}; stderr:\n{stderr}");
            Assert.That(SimHost.Output, Does.Not.Contain("checksum:"), "no summary after a forced exit");
            Assert.That(Directory.GetFileSystemEntries(Folder.RunRoot), Is.Empty, "the run directory is removed before the process ends");
            Assert.That(runtimeFiles.Where(File.Exists), Is.Empty, "the runtime's diagnostic files of the host are removed before it ends (its runtime cannot)");
        });
        await AssertWorkersEndAsync(WorkerMarker(SimHost));
    }

    [TestCase("retry")]
    [TestCase("fallback")]
    public async Task AJobThatHangsItsWorkers_IsNeverRunInTheHost_SoTheFirstSignalStopsTheRun(string policy)
    {
        // The job hangs on a worker: past the job timeout the worker is killed, and the range is not run in the host,
        // where nothing could stop it. Every frame fails; the first SIGTERM ends the run after the frame in progress.
        SimHost = SimHostProcess.StartInOwnProcessGroup(
            "--module", TestPaths.HangingModuleAssembly, "--workers", "2", "--on-worker-failure", policy,
            "--job-timeout", "250ms", "--frames", "0", "--run-dir", Folder.RunRoot);
        await SimHost.WaitForErrorLineAsync(line => line.Contains("is never run in the host from now on", StringComparison.Ordinal), "the warning that the job stays out of the host");

        await SimHost.SignalAsync("TERM", wholeGroup: false);
        var exitCode = await SimHost.WaitForExitAsync("simhost after one SIGTERM");

        var stderr = string.Join('\n', SimHost.ErrorLines);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), $"the run failed (its frames failed) and ended at the signal; stderr:\n{stderr}");
            Assert.That(SimHost.Output, Does.Contain("stopped by:      SIGTERM"), "the summary names the signal");
            Assert.That(SimHost.Output, Does.Contain("failed frames:"), "and counts the failed frames");
            Assert.That(stderr, Does.Contain("were not run in the host, since the job crashed or hung a worker"), "the failure says why");
            Assert.That(stderr, Does.Not.Contain("has run in the host for"), "the job never ran in the host");
            Assert.That(Directory.GetFileSystemEntries(Folder.RunRoot), Is.Empty, "the run directory is removed");
        });
        await AssertWorkersEndAsync(WorkerMarker(SimHost));
    }

    [TestCase("retry", "2", "shared", "1")]
    [TestCase("fallback", "1", "snapshot", "3")]
    [TestCase("retry", "1", "snapshot", "1")]
    [TestCase("fallback", "2", "shared", "3")]
    public async Task AJobThatHangsEveryWorker_UntilEverySlotIsDown_EndsTheRunByItself(string policy, string workers, string storage, string ticks)
    {
        // The job hangs every worker it runs on; it is never run in the host, and each slot is given up after one
        // restart. From then on no process may run it, and every frame would fail the same way: with --frames 0 the
        // run would go on failing for ever. It ends by itself instead, with exit 1 and one line saying why.
        SimHost = SimHostProcess.StartInOwnProcessGroup(
            "--module", TestPaths.HangingModuleAssembly, "--workers", workers, "--on-worker-failure", policy,
            "--storage", storage, "--ticks-per-frame", ticks, "--job-timeout", "250ms", "--max-restarts", "1", "--restart-window", "1h", "--frames", "0", "--run-dir", Folder.RunRoot);

        var exitCode = await SimHost.WaitForExitAsync("simhost running a job that no worker is left to run");

        var stderr = string.Join('\n', SimHost.ErrorLines);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), $"the run failed; stderr:\n{stderr}");
            Assert.That(SimHost.Output, Does.Contain("stopped by:      a job no worker is left to run"), "the summary says why the run stopped");
            Assert.That(stderr, Does.Contain("job 'test.hang' crashed or hung the workers it ran on and is never run in the host, and every worker slot is down"), "one line says why");
            Assert.That(stderr, Does.Contain("no process is left that may run it, so the run stops"));
            Assert.That(stderr, Does.Not.Contain("has run in the host for"), "the job never ran in the host");
            Assert.That(Directory.GetFileSystemEntries(Folder.RunRoot), Is.Empty, "the run directory is removed");
        });
        await AssertWorkersEndAsync(WorkerMarker(SimHost));
    }

    [TestCase("0", "snapshot", "1")]
    [TestCase("1", "shared", "3")]
    [TestCase("2", "snapshot", "3")]
    [TestCase("2", "shared", "1")]
    public async Task TheFirstSignal_WhileTheWorldIsSeeded_EndsSimHostAtOnce_AndLeavesNothingBehind(string workers, string storage, string ticks)
    {
        // Twenty million particles take seconds to seed (over ten on the reference VM): the signal comes well before.
        SimHost = SimHostProcess.StartInOwnProcessGroup(
            "--workers", workers, "--storage", storage, "--ticks-per-frame", ticks, "--entities", "20000000", "--max-shared-memory", "8GiB",
            "--frames", "1", "--run-dir", Folder.RunRoot);
        await SimHost.WaitForErrorLineAsync(line => line.Contains("Seeding particles with 20000000 entities", StringComparison.Ordinal), "the start of seeding");

        await SimHost.SignalAsync("TERM", wholeGroup: false);
        var exitCode = await SimHost.WaitForExitAsync("simhost after SIGTERM while seeding");

        var stderr = string.Join('\n', SimHost.ErrorLines);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(143), $"ended by SIGTERM; stderr:\n{stderr}");
            Assert.That(stderr, Does.Contain("simhost: SIGTERM while the world is set up: no frame has run; ending at once"));
            Assert.That(SimHost.Output, Does.Not.Contain("checksum:"), "no frame ran");
            Assert.That(Directory.GetFileSystemEntries(Folder.RunRoot), Is.Empty, "the run directory is removed before the process ends");
        });
        await AssertWorkersEndAsync(WorkerMarker(SimHost));
    }

    [TestCase("0", "snapshot", "3")]
    [TestCase("1", "shared", "1")]
    [TestCase("2", "shared", "3")]
    public async Task TheFirstSignal_WhileACheckpointLoads_EndsSimHostAtOnce_AndTheCheckpointStaysWhole(string workers, string storage, string ticks)
    {
        // Eight million particles make a 390 MB checkpoint. On the reference VM a resume's first load of it takes well
        // over 300 ms (its files, written with direct I/O, come from the disk, and its code is compiled as it runs),
        // against a few milliseconds for the signal to follow the log line. Should a machine load it faster than
        // that, the test says so (inconclusive) instead of failing.
        var checkpoints = Folder.Subfolder("checkpoints");
        string[] Run(string runWorkers, string frames) =>
            ["--workers", runWorkers, "--storage", storage, "--ticks-per-frame", ticks, "--entities", "8000000", "--frames", frames, "--run-dir", Folder.RunRoot];
        SimHost = SimHostProcess.Start([.. Run("0", "1"), "--checkpoint-every", "1", "--checkpoint-dir", checkpoints]);
        Assert.That(await SimHost.WaitForExitAsync("simhost writing the checkpoint"), Is.Zero, string.Join('\n', SimHost.ErrorLines));
        SimHost.Dispose();
        SimHost = null;
        var checkpoint = CheckpointStore.Newest(checkpoints) ?? throw new AssertionException("the first run wrote no checkpoint");
        var written = Directory.GetFiles(checkpoint).Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), new FileInfo(f).Length)).ToArray();

        SimHost = SimHostProcess.StartInOwnProcessGroup([.. Run(workers, "2"), "--resume", checkpoints]);
        await SimHost.WaitForErrorLineAsync(line => line.Contains("Loading the world of", StringComparison.Ordinal), "the start of the checkpoint's load");
        await SimHost.SignalAsync("TERM", wholeGroup: false);
        var exitCode = await SimHost.WaitForExitAsync("simhost after SIGTERM while loading a checkpoint");

        var stderr = string.Join('\n', SimHost.ErrorLines);
        if (stderr.Contains("Resumed at frame", StringComparison.Ordinal))
        {
            Assert.Inconclusive($"The load finished before the signal arrived (exit {exitCode}): this machine loads 390 MB faster than the test can signal.");
        }

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(143), $"ended by SIGTERM; stderr:\n{stderr}");
            Assert.That(stderr, Does.Contain("simhost: SIGTERM while the world is set up: no frame has run; ending at once"));
            Assert.That(SimHost.Output, Does.Not.Contain("checksum:"), "no frame ran");
            Assert.That(Directory.GetFileSystemEntries(Folder.RunRoot), Is.Empty, "the run directory is removed before the process ends");
            Assert.That(CheckpointStore.Newest(checkpoints), Is.EqualTo(checkpoint), "the checkpoint is still the newest");
            Assert.That(Directory.GetFiles(checkpoint).Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), new FileInfo(f).Length)), Is.EqualTo(written), "with the same files");
        });

        // Every file still has its length and hash, and the world loads.
        Assert.That(() => WorldCheckpoint.Load(checkpoint, new World()), Throws.Nothing, "the checkpoint stays whole and loads");
        await AssertWorkersEndAsync(WorkerMarker(SimHost));
    }

    // A worker notices its host is gone on its own (it watches the host's process), so give it the hang guard's time.
    private static async Task AssertWorkersEndAsync(string marker)
    {
        using var deadline = new CancellationTokenSource(HangGuard.Limit);
        while (ProcessCensus.FindWorkers(marker) is { Count: > 0 } left)
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Hang guard: workers {string.Join(", ", left)} outlived their host by {HangGuard.Limit.TotalSeconds} s.");
            }

            await Task.Delay(50);
        }
    }

    // The files the .NET runtime of process `pid` creates in the temp folder, named by its id and start time.
    private static string[] RuntimeFilesOf(int pid)
    {
        var startTime = global::SimHost.Host.Workers.RuntimeIpcFiles.StartTimeFromStat(File.ReadAllText($"/proc/{pid}/stat"));
        Assert.That(startTime, Is.Not.Null, $"the start time of process {pid}");
        var temp = Path.GetTempPath();
        var key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{pid}-{startTime}");
        return [Path.Combine(temp, $"dotnet-diagnostic-{key}-socket"), Path.Combine(temp, $"clr-debug-pipe-{key}-in"), Path.Combine(temp, $"clr-debug-pipe-{key}-out")];
    }
}
