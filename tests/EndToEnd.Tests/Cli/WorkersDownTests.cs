using SimHost.Tests.EndToEnd.Support;

namespace SimHost.Tests.EndToEnd.Cli;

/// <summary>
/// Workers that cannot run jobs are never a silent degradation: when every slot is down the log says so once with the
/// reasons and the summary shows it; under <c>--on-worker-failure fail</c> a worker failure ends the run with exit 1
/// and one line on stderr, no stack trace.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class WorkersDownTests : RunningSimHostFixture
{
    [Test]
    public async Task EveryWorkerKilled_WithNoRestartAllowed_IsLoggedOnce_AndShownInTheSummary()
    {
        SimHost = SimHostProcess.Start(
            "--workers", "2", "--max-restarts", "0", "--entities", "20000", "--frames", "0", "--run-dir", Folder.RunRoot);
        await SimHost.WaitForErrorLineAsync(line => line.Contains("Progress: frame", StringComparison.Ordinal), "a progress line");

        var workers = ProcessCensus.FindWorkers(WorkerMarker(SimHost));
        Assert.That(workers, Has.Count.EqualTo(2), "both workers are running");
        ProcessCensus.Kill(workers);
        await SimHost.WaitForErrorLineAsync(line => line.Contains("All worker slots are down", StringComparison.Ordinal), "the all-slots-down line");

        // A later progress line shows it too, and proves frames go on in-process meanwhile.
        await SimHost.WaitForErrorLineAsync(line => line.Contains("(2 down, jobs in-process)", StringComparison.Ordinal), "a progress line showing the slots down");
        await SimHost.SignalAsync("TERM", wholeGroup: false);
        var exitCode = await SimHost.WaitForExitAsync("simhost after SIGTERM");

        var stderr = string.Join('\n', SimHost.ErrorLines);
        var allDown = SimHost.ErrorLines.Where(l => l.Contains("All worker slots are down", StringComparison.Ordinal)).ToArray();
        var inProcess = SimHost.ErrorLines.Where(l => l.Contains("runs in-process", StringComparison.Ordinal)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, $"exit code; stderr:\n{stderr}");
            Assert.That(allDown, Has.Length.EqualTo(1), $"said once; stderr:\n{stderr}");
            Assert.That(allDown.FirstOrDefault(), Does.Contain("slot 0:").And.Contain("slot 1:").And.Match("in-process from frame [0-9]+"), "with each slot's reason and the frame");
            Assert.That(inProcess, Has.Length.EqualTo(1), $"the job's move in-process is said once, not per range or frame; stderr:\n{stderr}");
            Assert.That(SimHost.Output, Does.Match(@"workers down:\s+2 of 2 since frame [0-9]+ \(jobs ran in-process, but for any that crashed or hung a worker\)"), "the summary shows it");
            Assert.That(SimHost.Output, Does.Match(@"stopped by:\s+SIGTERM"));
        });
    }

    [TestCase("1", "shared", "1")]
    [TestCase("2", "snapshot", "3")]
    public async Task WorkerKilled_UnderFail_EndsTheRunWithExitOne_AndOneLineWithoutStackTrace(string workers, string storage, string ticks)
    {
        var logFile = Path.Combine(Folder.Path, "run.log");
        SimHost = SimHostProcess.Start(
            "--workers", workers, "--storage", storage, "--ticks-per-frame", ticks, "--on-worker-failure", "fail", "--entities", "20000", "--frames", "0",
            "--run-dir", Folder.RunRoot, "--log-file", logFile);
        await SimHost.WaitForErrorLineAsync(line => line.Contains("Progress: frame", StringComparison.Ordinal), "a progress line");

        ProcessCensus.Kill(ProcessCensus.FindWorkers(WorkerMarker(SimHost)));
        var exitCode = await SimHost.WaitForExitAsync("simhost after its worker was killed under --on-worker-failure fail");

        var stderr = string.Join('\n', SimHost.ErrorLines);
        var errorLines = SimHost.ErrorLines.Where(l => l.StartsWith("simhost:", StringComparison.Ordinal)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), $"exit code; stderr:\n{stderr}");
            Assert.That(errorLines, Has.Length.EqualTo(1), $"one 'simhost:' line; stderr:\n{stderr}");
            Assert.That(errorLines.FirstOrDefault(), Does.Match("worker [01]").And.Contain("--on-worker-failure fail").And.Contain(logFile), "names a worker, the policy and the log");
            Assert.That(SimHost.ErrorLines, Has.None.Match(@"^\s+at "), $"no stack trace on stderr:\n{stderr}");
            Assert.That(SimHost.ErrorLines.Where(l => l.Contains("run failed", StringComparison.OrdinalIgnoreCase)).ToArray(), Has.Length.EqualTo(1), $"the failure is said once on stderr, not also as a log line:\n{stderr}");
            Assert.That(SimHost.Output, Does.Match(@"stopped by:\s+a failure"), "the summary says a failure stopped the run");
            Assert.That(SimHost.ErrorLines, Has.None.Contains("starting a replacement"), $"no replacement is started for a run that is ending:\n{stderr}");
            Assert.That(SimHost.Output, Does.Match(@"worker restarts:\s+0"), "and none is counted");
        });
    }
}
