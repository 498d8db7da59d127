using System.Diagnostics;
using SimHost.Host.Workers;

namespace SimHost.Tests.Host.Workers;

/// <summary>
/// A killed worker's runtime leaves its diagnostics socket and debugger pipes in the temp directory; the pool removes
/// exactly those of the worker it reaped, so a run whose workers keep dying does not fill /tmp.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RuntimeIpcFilesTests : WorkerPoolFixture
{
    [Test]
    public async Task AKilledWorkersRuntimeFiles_AreRemovedOnceItIsReaped()
    {
        Assume.That(OperatingSystem.IsLinux(), "the runtime's file names are read from /proc on Linux only");
        Assume.That(Environment.GetEnvironmentVariable("DOTNET_EnableDiagnostics"), Is.Not.EqualTo("0"), "the runtime creates no such files with diagnostics off");
        var pool = await Harness.StartPoolAsync(workers: 1, configure: o => o with
        {
            RestartPolicy = new RestartPolicy { ReplacesLostWorkers = false },
            PingInterval = Timeout.InfiniteTimeSpan,
        });
        var pid = pool.WorkerProcessIds.Single();
        await WorkerTestEnvironment.WaitUntilAsync(
            () => FilesOf(pid).Any(static f => f.Contains("dotnet-diagnostic-", StringComparison.Ordinal)), "the worker's runtime creating its diagnostics socket");
        var created = FilesOf(pid);

        using (var worker = Process.GetProcessById(pid))
        {
            worker.Kill();
        }

        await WorkerTestEnvironment.WaitUntilAsync(() => pool.SlotsDown == 1, "the pool reaping the killed worker");
        Assert.Multiple(() =>
        {
            Assert.That(FilesOf(pid), Is.Empty, "and it is gone, with the debugger pipes");
        });
    }

    [TestCase("1234 (simhost-worker) S 1 1234 1234 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1 1 18446744073709551615", 987654UL)]
    [TestCase("1234 (a) b (c) S 1 1234 1234 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 42 1 1", 42UL, TestName = "StartTime_IsReadPastANameWithSpacesAndParentheses")]
    [TestCase("1234 (cut) S 1 2", null, TestName = "StartTime_IsNull_ForAShortLine")]
    [TestCase("no parenthesis at all", null, TestName = "StartTime_IsNull_WithoutACommandName")]
    public void StartTime_IsTheTwentySecondFieldOfStat(string stat, ulong? expected) =>
        Assert.That(RuntimeIpcFiles.StartTimeFromStat(stat), Is.EqualTo(expected));

    private static string[] FilesOf(int pid)
    {
        var temp = Path.GetTempPath();
        return [.. Directory.GetFiles(temp, $"dotnet-diagnostic-{pid}-*-socket"), .. Directory.GetFiles(temp, $"clr-debug-pipe-{pid}-*")];
    }
}
