using System.Diagnostics;
using System.Globalization;
using SimHost.Tests.EndToEnd.Support;

namespace SimHost.Tests.EndToEnd.Cli;

/// <summary>
/// A run directory on a file system too small for the world's segments (a container's 64 MB <c>/dev/shm</c>) stops
/// the run at its start with one line, exit 2, whichever executor and storage need segments, and leaves nothing in
/// the run directory. The small file system is a 16 MiB tmpfs mounted in a mount namespace of the run's own
/// (<c>unshare -Urm</c>), so it needs no privilege and vanishes with the run.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RunDirectoryFullTests : RunningSimHostFixture
{
    // After the run, the shell lists what is left on the small file system: the test cannot see it once the namespace
    // is gone.
    private const string LeftMarker = "left on the file system:";
    private const string MountThenRun = "mount -t tmpfs -o size=16m tmpfs \"$0\" || exit 99; \"$@\"; code=$?; echo \"" + LeftMarker + "$(ls -A \"$0\" | tr '\\n' ' ')\"; exit $code";

    [TestCase(0, "shared")]
    [TestCase(1, "snapshot")]
    [TestCase(1, "shared")]
    [TestCase(2, "snapshot")]
    [TestCase(2, "shared")]
    public async Task ARunDirectoryWithoutRoomForTheSegments_EndsTheRunAtItsStart_WithOneLineAndExit2(int workers, string storage)
    {
        var small = Folder.Subfolder("small");
        string[] wrapper = ["unshare", "-Urm", "--", "sh", "-c", MountThenRun, small];

        // 500000 particles need 20-28 MB of segments, more than the 16 MiB there.
        var (exitCode, process) = await SimHostProcess.RunWrappedAsync(
            wrapper, "--run-dir", small, "--entities", "500000", "--frames", "3", "--workers", workers.ToString(CultureInfo.InvariantCulture), "--storage", storage);
        using (process)
        {
            var stderr = string.Join('\n', process.ErrorLines);
            var errors = process.ErrorLines.Where(static l => l.StartsWith("simhost:", StringComparison.Ordinal)).ToArray();
            var left = process.Output.Split('\n').FirstOrDefault(static l => l.StartsWith(LeftMarker, StringComparison.Ordinal));
            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.EqualTo(2), $"exit code; stderr:\n{stderr}");
                Assert.That(errors, Has.Length.EqualTo(1), $"one 'simhost:' line on stderr:\n{stderr}");
                Assert.That(errors.FirstOrDefault(), Does.Contain("has no room for").And.Contain("bytes of segments").And.Contain("--run-dir"));
                Assert.That(process.ErrorLines, Has.None.Match(@"^\s+at "), $"no stack trace on stderr:\n{stderr}");
                Assert.That(process.Output, Does.Not.Contain("checksum:"), "no summary for a run that could not start");
                Assert.That(left?.Trim(), Is.EqualTo(LeftMarker), "nothing left in the run directory's file system");
            });
        }
    }

    [OneTimeSetUp]
    public static void RequireMountNamespaces()
    {
        // What the tests do, on a folder of its own: some systems allow user namespaces but not mounts in them.
        var folder = Directory.CreateTempSubdirectory("simhost-mount-probe-").FullName;
        bool available;
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("unshare", ["-Urm", "--", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$0\"", folder])
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            available = probe is not null && probe.WaitForExit(TimeSpan.FromSeconds(60)) && probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No unshare on this machine.
            available = false;
        }
        finally
        {
            Directory.Delete(folder);
        }

        if (!available)
        {
            Assert.Ignore("needs user and mount namespaces in which a tmpfs may be mounted (unshare -Urm)");
        }
    }
}
