using System.Diagnostics;
using System.Globalization;
using SimHost.Layout.Segments;

namespace SimHost.Tests.Host.Workers;

/// <summary>
/// A real simhost killed with SIGKILL: its workers notice and exit on their own, and the next host removes the run
/// directory the dead one left.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HostDeathTests
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_workerExitGuard = TimeSpan.FromSeconds(10);
    private readonly List<Process> _started = [];
    private readonly List<int> _workers = [];
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("simhost-death-").FullName;

    [TearDown]
    public void TearDown()
    {
        foreach (var pid in _workers)
        {
            try
            {
                using var worker = Process.GetProcessById(pid);
                worker.Kill();
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                // Already gone, as it should be.
            }
        }

        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        Directory.Delete(_root, recursive: true);
    }

    [Test]
    public async Task KilledHost_ItsWorkersExit_AndTheNextHostRemovesItsRunDirectory()
    {
        var host = Start("--workers", "2", "--frames", "0", "--entities", "2000", "--run-dir", _root);
        var stopwatch = Stopwatch.StartNew();
        while (ChildWorkers(host.Id).Count < 2 || Directory.GetDirectories(_root).Length == 0)
        {
            Assert.That(host.HasExited, Is.False, "the host ended before its workers were up");
            Assert.That(stopwatch.Elapsed, Is.LessThan(s_hangGuard), "hung waiting for two workers");
            await Task.Delay(50);
        }

        _workers.AddRange(ChildWorkers(host.Id));
        var runDirectories = Directory.GetDirectories(_root);
        host.Kill();
        await host.WaitForExitAsync().WaitAsync(s_hangGuard);
        var killedAt = Stopwatch.StartNew();
        while (_workers.Any(IsRunning) && killedAt.Elapsed < s_workerExitGuard)
        {
            await Task.Delay(20);
        }

        var survivors = _workers.Where(IsRunning).ToList();
        var exitTime = killedAt.Elapsed;
        var next = Start("--workers", "0", "--frames", "1", "--entities", "100", "--run-dir", _root);
        await next.WaitForExitAsync().WaitAsync(s_hangGuard);

        Assert.Multiple(() =>
        {
            Assert.That(survivors, Is.Empty, $"workers still running {exitTime.TotalMilliseconds:0} ms after the host was killed");
            Assert.That(runDirectories, Has.Length.EqualTo(1));
            Assert.That(Directory.Exists(runDirectories[0]), Is.False, "the dead host's run directory was removed by the next host");
            Assert.That(next.ExitCode, Is.Zero);
        });
        TestContext.Progress.WriteLine($"workers exited {exitTime.TotalMilliseconds:0} ms after the host was killed");
    }

    private Process Start(params string[] arguments)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var startInfo = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "simhost.dll"));
        startInfo.ArgumentList.Add("run");
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo)!;
        _started.Add(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The simhost-worker processes whose parent is <paramref name="hostPid"/>, from /proc.</summary>
    private static List<int> ChildWorkers(int hostPid)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (ProcessIdentity.ParentOf(pid) == hostPid
                    && File.ReadAllText(Path.Combine(directory, "cmdline")).Contains("simhost-worker", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            // A zombie has exited; the command line guards against the pid being reused meanwhile.
            return ProcessIdentity.IsAlive(pid) && File.ReadAllText($"/proc/{pid}/cmdline").Contains("simhost-worker", StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
