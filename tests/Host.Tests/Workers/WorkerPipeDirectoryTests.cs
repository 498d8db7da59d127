using SimHost.Layout.Segments;

namespace SimHost.Tests.Host.Workers;

/// <summary>Where a pool keeps its pipes when the options name no directory: never the shared temp folder.</summary>
[TestFixture]
[NonParallelizable]
public sealed class WorkerPipeDirectoryTests : WorkerPoolFixture
{
    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task NoPipeDirectory_PutsThePipesInAPrivateDirectoryOfThePool_RemovedWithIt()
    {
        var pool = await Harness.StartPoolAsync(workers: 1, configure: options => options with { PipeDirectory = null });
        var commandLine = File.ReadAllText($"/proc/{pool.WorkerProcessIds.Single()}/cmdline").Split('\0');
        var pipe = commandLine[Array.IndexOf(commandLine, "--pipe") + 1];
        var directory = Path.GetDirectoryName(pipe)!;
        var mode = File.GetUnixFileMode(directory);

        await pool.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(Path.GetFileName(directory), Does.StartWith(RunDirectory.DirectoryPrefix + Environment.ProcessId + "-"), "a run directory of this process, not the shared temp folder");
            Assert.That(mode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), "private to the user");
            Assert.That(Directory.Exists(directory), Is.False, "removed with the pool");
        });
    }
}
