using System.Globalization;
using SimHost.Tests.EndToEnd.Support;

namespace SimHost.Tests.EndToEnd.Cli;

/// <summary>
/// <c>simhost run --module PATH</c> with the real executable: each sample module loaded by path gives one checksum
/// in-process, on one or two workers and with either storage, and the particles module by path matches the default run.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ModuleRunTests : RunningSimHostFixture
{
    private const string Frames = "5";
    private static readonly int[] s_workerCounts = [0, 1, 2];
    private static readonly string[] s_storageModes = ["shared", "snapshot"];

    [TestCase("grazers")]
    [TestCase("particles")]
    public async Task SampleModule_HasOneChecksum_InProcessOnOneAndTwoWorkers_WithEitherStorage(string sample)
    {
        string[] module = sample == "grazers"
            ? ["--module", TestPaths.GrazersAssembly, "--entities", "2000", "--param", "field=64"]
            : ["--module", TestPaths.ParticlesAssembly, "--entities", "5000"];
        var reference = await RunAsync(workers: 0, [.. module, "--storage", "shared"]);
        Assert.That(reference, Does.Match("^[0-9a-f]{32}$"));

        await Assert.MultipleAsync(async () =>
        {
            foreach (var workers in s_workerCounts)
            {
                foreach (var storage in s_storageModes)
                {
                    if (workers == 0 && storage == "shared")
                    {
                        continue;
                    }

                    var checksum = await RunAsync(workers, [.. module, "--storage", storage]);
                    Assert.That(checksum, Is.EqualTo(reference), $"{sample}: --workers {workers} --storage {storage}");
                }
            }
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
    public async Task Grazers_EntitiesIsTheStartingHerd_WithTheFieldsCellsOnTop()
    {
        // The walkthrough's defect: --entities was ignored, the module's own 'herd' parameter sized the herd. One frame
        // of 1/64 s neither starves a grazer (energy 40 to 60) nor lets one calve (at 80): the count is the seeded one.
        var (exitCode, process) = await SimHostProcess.RunAsync(
            "--module", TestPaths.GrazersAssembly, "--entities", "500", "--param", "field=16", "--frames", "1", "--workers", "0", "--run-dir", Folder.RunRoot);
        using (process)
        {
            Assert.That(exitCode, Is.Zero, string.Join('\n', process.ErrorLines));
            Assert.That(process.Output.Split('\n'), Does.Contain($"entities:        {500 + (16 * 16)}"), process.Output);
        }
    }

    [Test]
    public async Task GrazersDescribe_ShowsTheDefaultHerd_AsTheDefaultEntities()
    {
        var (exitCode, process) = await SimHostProcess.DescribeAsync("--module", TestPaths.GrazersAssembly);
        using (process)
        {
            Assert.That(exitCode, Is.Zero, string.Join('\n', process.ErrorLines));
            Assert.That(process.Output.Split('\n'), Does.Contain("  default entities: 50000"), process.Output);
            Assert.That(process.Output, Does.Contain("--entities is the starting herd, the field's cells come on top"));
            Assert.That(process.Output, Does.Not.Contain("herd ("), "no parameter sizes the herd");
        }
    }

    [Test]
    public async Task BadParameter_IsOneLineAndExitCode2()
    {
        var (exitCode, process) = await SimHostProcess.RunAsync(
            "--module", TestPaths.GrazersAssembly, "--param", "field=abc", "--workers", "0", "--run-dir", Folder.RunRoot);
        using (process)
        {
            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.EqualTo(2));
                Assert.That(process.ErrorLines, Has.Count.EqualTo(1));
                Assert.That(process.ErrorLines[0], Does.StartWith("simhost: ").And.Contain("field"));
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
