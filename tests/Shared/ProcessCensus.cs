using System.Diagnostics;
using System.Globalization;

namespace SimHost.Tests;

/// <summary>
/// Finds live (not zombie) worker processes whose command line contains a marker, such as a test's private folder;
/// shared as source by the test projects that start real workers.
/// </summary>
internal static class ProcessCensus
{
    /// <summary>Live simhost-worker processes whose command line contains <paramref name="marker"/>.</summary>
    public static List<int> FindWorkers(string marker)
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
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (commandLine.Contains("simhost-worker", StringComparison.Ordinal) && commandLine.Contains(marker, StringComparison.Ordinal)
                    && !IsZombie(directory))
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

    /// <summary>
    /// The worker processes this test process started, of any generation: their --pipe argument carries this
    /// process's id (see WorkerPool's pipe names), which no other run's workers share.
    /// </summary>
    public static List<int> FindWorkersOfThisProcess() =>
        FindWorkers($"simhost-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-");

    /// <summary>Kills the processes (best effort) so one failing test does not leak into the next.</summary>
    public static void Kill(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile.
            }
        }
    }

    private static bool IsZombie(string directory)
    {
        // stat: "pid (comm) S ..."; a zombie has exited and only awaits its parent's wait().
        var stat = File.ReadAllText(Path.Combine(directory, "stat"));
        var close = stat.LastIndexOf(')');
        return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
    }
}
