using System.Globalization;
using SimHost.Tests.EndToEnd.Support;

namespace SimHost.Tests.EndToEnd.Cli;

/// <summary>
/// <c>simhost run --module PATH</c> with the real executable: a module loaded by path gives one checksum in-process,
/// on one or two workers and with either storage, and the particles module by path matches the default run.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ModuleRunTests : RunningSimHostFixture
{
    private const string Frames = "5";

    [Test]
    public async Task GrazersModule_HasOneChecksum_InProcessOnOneAndTwoWorkers_WithEitherStorage()
    {
        string[] grazers = ["--module", TestPaths.GrazersAssembly, "--param", "herd=2000", "--param", "field=64"];
        var inProcess = await RunAsync(workers: 0, [.. grazers, "--storage", "shared"]);
        var inProcessSnapshot = await RunAsync(workers: 0, [.. grazers, "--storage", "snapshot"]);
        var oneWorker = await RunAsync(workers: 1, [.. grazers, "--storage", "shared"]);
        var twoWorkersShared = await RunAsync(workers: 2, [.. grazers, "--storage", "shared"]);
        var twoWorkersSnapshot = await RunAsync(workers: 2, [.. grazers, "--storage", "snapshot"]);

        Assert.Multiple(() =>
        {
            Assert.That(inProcess, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(inProcessSnapshot, Is.EqualTo(inProcess), "--workers 0 --storage snapshot");
            Assert.That(oneWorker, Is.EqualTo(inProcess), "--workers 1");
            Assert.That(twoWorkersShared, Is.EqualTo(inProcess), "--workers 2 --storage shared");
            Assert.That(twoWorkersSnapshot, Is.EqualTo(inProcess), "--workers 2 --storage snapshot");
        });
    }

    [Test]
    public async Task ParticlesModuleByPath_HasTheChecksumOfTheDefaultRun()
    {
        string[] flags = ["--entities", "5000", "--seed", "3"];
        var byDefault = await RunAsync(workers: 1, flags);
        var byPath = await RunAsync(workers: 1, ["--module", TestPaths.ParticlesAssembly, .. flags]);

        Assert.That(byPath, Is.EqualTo(byDefault));
    }

    [Test]
    public async Task BadParameter_IsOneLineAndExitCode2()
    {
        var (exitCode, process) = await SimHostProcess.RunAsync(
            "--module", TestPaths.GrazersAssembly, "--param", "herd=abc", "--workers", "0", "--run-dir", Folder.RunRoot);
        using (process)
        {
            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.EqualTo(2));
                Assert.That(process.ErrorLines, Has.Count.EqualTo(1));
                Assert.That(process.ErrorLines[0], Does.StartWith("simhost: ").And.Contain("herd"));
            });
        }
    }

    private async Task<string> RunAsync(int workers, string[] extra)
    {
        var (exitCode, process) = await SimHostProcess.RunAsync(
        [
            "--workers", workers.ToString(CultureInfo.InvariantCulture),
            "--frames", Frames,
            "--run-dir", Folder.RunRoot,
            .. extra,
        ]);
        using (process)
        {
            Assert.That(exitCode, Is.Zero, $"--workers {workers} {string.Join(' ', extra)}; stderr:\n{string.Join('\n', process.ErrorLines)}");
            Assert.That(Folder.Leftovers().Entries, Is.Empty, "files left in the run directory root");
            return process.Checksum();
        }
    }
}
