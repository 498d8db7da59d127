using SimHost.Tests.EndToEnd.Support;
using SimHost.Tests.JobsWithDependency;

namespace SimHost.Tests.EndToEnd.Cli;

/// <summary>
/// A command line simhost cannot run exits 2 with one <c>simhost:</c> line on stderr that names the flag, and no
/// stack trace. Log lines (Serilog writes them to stderr) may come before it; the error line is what the user reads.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class UsageErrorTests : RunningSimHostFixture
{
    [Test]
    public async Task WorkersThatAreNotANumber_ExitWithUsageError() =>
        await AssertUsageErrorAsync("--workers", ["--workers", "abc"]);

    [Test]
    public async Task SegmentSizeTooSmallForOneRow_ExitsWithUsageError() =>
        await AssertUsageErrorAsync("--segment-size", ["--workers", "1", "--segment-size", "1KiB"]);

    [Test]
    public async Task JobAssemblyThatIsNotAnAssembly_ExitsWithUsageError()
    {
        var notAnAssembly = Path.Combine(Folder.Subfolder("jobs"), "jobs.dll");
        await File.WriteAllTextAsync(notAnAssembly, "not a .NET assembly");

        await AssertUsageErrorAsync("--job-assembly", ["--job-assembly", notAnAssembly]);
    }

    [Test]
    public async Task JobAssemblyThatDoesNotExist_ExitsWithUsageError() =>
        await AssertUsageErrorAsync("--job-assembly", ["--job-assembly", Path.Combine(Folder.Path, "missing.dll")]);

    [Test]
    public async Task JobAssemblyTheWorkersCannotLoad_ExitsWithUsageErrorNamingTheJobAndTheReason()
    {
        // simhost carries System.IO.Hashing and simhost-worker does not: without its copy beside the job assembly
        // the host loads the assembly and every worker fails to, which must stop the run before its first frame.
        using var copy = DependencyJobsFolder.CopyWithout(DependencyJobNames.HostOnlyDependencyFileName);

        var line = await AssertUsageErrorAsync("--job-assembly", ["--workers", "1", "--job-assembly", copy.AssemblyPath]);

        Assert.That(line, Does.Contain($"job '{DependencyJobNames.HashingJitter}' cannot run on worker 0: could not load assembly '{copy.AssemblyPath}'")
            .And.Contain("System.IO.Hashing"));
    }

    [TestCase("run")]
    [TestCase("describe")]
    public async Task AModuleWhoseSystemsCannotBeBuilt_IsOneLine_BeforeAnyWorkerStarts(string command)
    {
        // The module offloads a job name no assembly has: the user's to fix, found before the workers start and the
        // world is seeded.
        string[] module = ["--module", TestPaths.HangingModuleAssembly, "--param", "misnamed=true"];
        var (exitCode, process) = command == "run"
            ? await SimHostProcess.RunAsync([.. module, "--workers", "2", "--frames", "1", "--run-dir", Folder.RunRoot])
            : await SimHostProcess.DescribeAsync(module);
        using (process)
        {
            var stderr = string.Join('\n', process.ErrorLines);
            var errorLines = process.ErrorLines.Where(l => l.StartsWith("simhost:", StringComparison.Ordinal)).ToArray();
            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.EqualTo(2), $"exit code; stderr:\n{stderr}");
                Assert.That(errorLines, Has.Length.EqualTo(1), stderr);
                Assert.That(errorLines.FirstOrDefault(), Is.EqualTo("simhost: module hanging cannot be built: System 'hang' offloads job 'test.hang-misnamed', which no loaded job assembly has (known jobs: test.hang)."));
                Assert.That(process.ErrorLines, Has.None.Match(@"^\s+at "), "no stack trace");
                Assert.That(process.ErrorLines, Has.None.Contains("Worker pool started"), "no worker was started");
                Assert.That(process.ErrorLines, Has.None.Contains("Seeding"), "nothing was seeded");
            });
        }
    }

    [Test]
    public async Task JobAssemblyWithItsDependencies_Runs()
    {
        string[] arguments = ["--workers", "1", "--job-assembly", DependencyJobsFolder.BuiltAssemblyPath, "--entities", "2000", "--frames", "2", "--run-dir", Folder.RunRoot];

        var (exitCode, process) = await SimHostProcess.RunAsync(arguments);
        using (process)
        {
            Assert.That(exitCode, Is.Zero, $"stderr:\n{string.Join('\n', process.ErrorLines)}");
        }
    }

    [Test]
    public async Task RunDirectoryUnderARegularFile_ExitsWithUsageError()
    {
        // Tests run as root, which may write into a mode-0500 folder: a path under a regular file fails for everyone.
        var file = Path.Combine(Folder.Path, "a-file");
        await File.WriteAllTextAsync(file, "");

        await AssertUsageErrorAsync("--run-dir", ["--run-dir", Path.Combine(file, "runs")], runDirectory: null);
    }

    [Test]
    public async Task MaxSharedMemoryTooSmallForTheWorld_ExitsWithUsageErrorNamingTheBytesNeeded()
    {
        var line = await AssertUsageErrorAsync("--max-shared-memory", ["--workers", "1", "--segment-size", "64KiB", "--max-shared-memory", "64KiB"]);

        Assert.That(line, Does.Match("[0-9]+ bytes"), "names the bytes the world needs");
    }

    private async Task<string> AssertUsageErrorAsync(string flag, string[] arguments, string? runDirectory = "")
    {
        string[] all = [.. arguments, "--entities", "20000", "--frames", "3", .. RunDirectoryArguments(runDirectory)];
        var (exitCode, process) = await SimHostProcess.RunAsync(all);
        using (process)
        {
            var errorLines = process.ErrorLines.Where(l => l.StartsWith("simhost:", StringComparison.Ordinal)).ToArray();
            var stderr = string.Join('\n', process.ErrorLines);
            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.EqualTo(2), $"exit code; stderr:\n{stderr}");
                Assert.That(errorLines, Has.Length.EqualTo(1), $"one 'simhost:' line on stderr:\n{stderr}");
                Assert.That(errorLines.FirstOrDefault(), Does.Contain(flag), "the error names the flag");
                Assert.That(process.ErrorLines, Has.None.Match(@"^\s+at "), $"no stack trace on stderr:\n{stderr}");
                Assert.That(process.Output, Does.Not.Contain("checksum:"), "no summary for a run that could not start");
            });
            return errorLines.FirstOrDefault() ?? "";
        }
    }

    private string[] RunDirectoryArguments(string? runDirectory) => runDirectory switch
    {
        null => [],
        "" => ["--run-dir", Folder.RunRoot],
        _ => ["--run-dir", runDirectory],
    };
}
