using SimHost.Tests.EndToEnd.Support;

namespace SimHost.Tests.EndToEnd.Cli;

/// <summary>
/// Ctrl-C in a terminal signals the whole process group, workers included: the workers must not die of it (the host
/// stops them), so a clean Ctrl-C ends with no restart and no re-run range. SIGTERM to the host alone stops the run the
/// same clean way, and so does the SIGHUP a closing terminal (or a dropped ssh session) sends the foreground process
/// group. Either way: exit 0, the summary names the signal, and nothing is left behind.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SignalTests : RunningSimHostFixture
{
    private const string Workers = "2";

    [Test]
    public async Task CtrlC_ToTheWholeProcessGroup_StopsCleanly_WithNoWorkerRestartOrReRun() =>
        await AssertStopsCleanlyAsync("INT", wholeGroup: true, @"stopped by:\s+Ctrl-C \(SIGINT\)");

    [Test]
    public async Task Sigterm_ToTheHost_StopsCleanly_LikeCtrlC() =>
        await AssertStopsCleanlyAsync("TERM", wholeGroup: false, @"stopped by:\s+SIGTERM");

    [Test]
    public async Task Sigterm_ToTheWholeProcessGroup_StopsCleanly_LikeCtrlC() =>
        await AssertStopsCleanlyAsync("TERM", wholeGroup: true, @"stopped by:\s+SIGTERM");

    [Test]
    public async Task Sighup_ToTheWholeProcessGroup_AsAClosingTerminalSendsIt_StopsCleanly_LikeSigterm() =>
        await AssertStopsCleanlyAsync("HUP", wholeGroup: true, @"stopped by:\s+SIGHUP \(terminal closed\)");

    private async Task AssertStopsCleanlyAsync(string signal, bool wholeGroup, string stoppedBy)
    {
        SimHost = SimHostProcess.StartInOwnProcessGroup(
            "--workers", Workers, "--entities", "20000", "--frames", "0", "--run-dir", Folder.RunRoot);

        // Not a redirected terminal: progress comes as a log line every few seconds, after some frames have run.
        await SimHost.WaitForErrorLineAsync(line => line.Contains("Progress: frame", StringComparison.Ordinal), "a progress line");
        var workers = ProcessCensus.FindWorkers(WorkerMarker(SimHost));
        Assert.That(workers, Has.Count.EqualTo(2), "both workers are running before the signal");

        await SimHost.SignalAsync(signal, wholeGroup);
        var exitCode = await SimHost.WaitForExitAsync($"simhost after SIG{signal}");

        var stderr = string.Join('\n', SimHost.ErrorLines);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, $"exit code after SIG{signal}; stderr:\n{stderr}");
            Assert.That(SimHost.Output, Does.Match(@"worker restarts: 0\n"), $"no worker died of the signal; stderr:\n{stderr}");
            Assert.That(SimHost.Output, Does.Match(@"ranges re-run:\s+0\n"), "no range was re-run");
            Assert.That(SimHost.Output, Does.Match(stoppedBy), "the summary names what stopped the run");
            Assert.That(SimHost.Output, Does.Contain("checksum:"), "the summary is printed");
            Assert.That(ProcessCensus.FindWorkers(WorkerMarker(SimHost)), Is.Empty, "no worker outlives the host");
            Assert.That(Directory.GetFileSystemEntries(Folder.RunRoot), Is.Empty, "the run directory is removed");
        });
    }
}
