using System.Diagnostics;
using System.Globalization;
using SimHost.Host.Workers;

namespace SimHost.Tests.Host.Workers;

/// <summary>
/// Killing a worker process never throws, whatever state the process is in, and takes its children with it.
/// </summary>
[TestFixture]
[Platform("Linux")]
public sealed class ProcessExitKillTests
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(30);

    [Test]
    public void Kill_EndsTheProcessAndItsChild()
    {
        using var parent = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 600 & wait"]) { UseShellExecute = false })!;
        var child = 0;
        try
        {
            child = WaitForChildOf(parent.Id);

            ProcessExit.Kill(parent);

            Assert.That(parent.WaitForExit(s_hangGuard), Is.True, "hang guard: the shell outlived the kill");
            Assert.That(WaitUntilGone(child), Is.True, $"hang guard: the shell's child {child} outlived the kill");
        }
        finally
        {
            KillQuietly(parent);
            if (child > 0 && IsAlive(child))
            {
                _ = Kill(child, 9);
            }
        }
    }

    [Test]
    public void Kill_OfAProcessThatHasExited_DoesNotThrow()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        Assert.That(process.WaitForExit(s_hangGuard), Is.True, "hang guard: /bin/true did not end");

        Assert.That(() => ProcessExit.Kill(process), Throws.Nothing);
    }

    [Test]
    public void Kill_OfAProcessNeverStarted_DoesNotThrow()
    {
        using var process = new Process();

        Assert.That(() => ProcessExit.Kill(process), Throws.Nothing);
    }

    // Scans /proc for a process whose parent is the shell (the kernel's own children list is not built everywhere).
    private static int WaitForChildOf(int parent)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_hangGuard)
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ParentOf(pid) == parent)
                {
                    return pid;
                }
            }

            Thread.Sleep(10);
        }

        Assert.Fail($"Hang guard: the shell {parent} started no child in {s_hangGuard.TotalSeconds} s.");
        return 0;
    }

    // The fourth field of /proc/PID/stat, after the name in parentheses: the parent's id.
    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    private static bool WaitUntilGone(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_hangGuard)
        {
            if (!IsAlive(pid))
            {
                return true;
            }

            Thread.Sleep(10);
        }

        return false;
    }

    // A killed child is reparented and reaped by init; until then it is a zombie ('Z' in its stat), which is gone too.
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception or AggregateException or NullReferenceException)
        {
            // Already gone, or the tree walk raced with it ending (see ProcessExit.Kill).
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
