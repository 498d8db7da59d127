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
                using var leftOver = Process.GetProcessById(child);
                KillQuietly(leftOver);
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

    private static int WaitForChildOf(int parent)
    {
        var children = $"/proc/{parent}/task/{parent}/children";
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_hangGuard)
        {
            var text = File.Exists(children) ? File.ReadAllText(children).Trim() : string.Empty;
            if (text.Length > 0)
            {
                return int.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
            }

            Thread.Sleep(10);
        }

        Assert.Fail($"Hang guard: the shell {parent} started no child in {s_hangGuard.TotalSeconds} s.");
        return 0;
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
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception or AggregateException)
        {
            // Already gone.
        }
    }
}
