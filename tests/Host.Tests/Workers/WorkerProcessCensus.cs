using System.Globalization;

namespace SimHost.Tests.Host.Workers;

/// <summary>
/// Finds the worker processes this test process started, of any generation: their --pipe argument carries this
/// process's id (see WorkerPool's pipe names), which no other run's workers share.
/// </summary>
internal static class WorkerProcessCensus
{
    public static List<int> FindOurWorkers()
    {
        var marker = $"simhost-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-";
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

    private static bool IsZombie(string directory)
    {
        // stat: "pid (comm) S ..."; a zombie has exited and only awaits its parent's wait().
        var stat = File.ReadAllText(Path.Combine(directory, "stat"));
        var close = stat.LastIndexOf(')');
        return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
    }
}
