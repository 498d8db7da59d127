using SimHost.Tests.EndToEnd.Support;

namespace SimHost.Tests.EndToEnd.Cli;

/// <summary>Ctrl-C (SIGINT) ends an unbounded run cleanly: exit 0, the summary with its checksum, nothing left behind.</summary>
[TestFixture]
[NonParallelizable]
public sealed class InterruptTests : RunningSimHostFixture
{
    [TestCase(0)]
    [TestCase(2)]
    public async Task Interrupt_FinishesTheFrame_PrintsTheChecksum_AndRemovesTheRunDirectory(int workers)
    {
        using var simhost = SimHostProcess.Start(
            "--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--entities", "20000",
            "--frames", "0",
            "--run-dir", Folder.RunRoot);
        await simhost.WaitForErrorLineAsync(line => line.Contains("Simulating", StringComparison.Ordinal), "the 'Simulating' log line");

        await simhost.InterruptAsync();
        var exitCode = await simhost.WaitForExitAsync("simhost after SIGINT");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, $"exit code after SIGINT; stderr:\n{string.Join('\n', simhost.ErrorLines)}");
            Assert.That(simhost.Output, Does.Contain("checksum:"), "the summary is printed");
            Assert.That(Directory.GetFileSystemEntries(Folder.RunRoot), Is.Empty, "the run directory is removed");
        });
    }
}
