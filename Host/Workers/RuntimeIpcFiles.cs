using System.Globalization;
using System.Runtime.CompilerServices;

namespace SimHost.Host.Workers;

/// <summary>
/// The files the .NET runtime of a worker creates in the temp directory for diagnostics (the <c>dotnet-counters</c> and
/// <c>dotnet-trace</c> socket) and debuggers (two pipes), removed once the worker has exited. A runtime removes them
/// when it exits normally; a worker killed (a crash, a hang, <c>kill -9</c>) leaves them behind, three files a death,
/// so a long run with failing workers would fill <c>/tmp</c> with them. The host's own are removed the same way when a
/// second signal ends it at once (<see cref="RemoveOwnBeforeAForcedExit"/>).
/// </summary>
/// <remarks>
/// Their names hold the process id and its start time in clock ticks (the runtime's "disambiguation key", from
/// <c>/proc/PID/stat</c>), read here while the worker is alive: only files of that very process are removed, never those
/// of a later process that got the same id. Linux only; elsewhere, and when the start time cannot be read (the
/// worker died at once), nothing is removed.
/// </remarks>
internal static class RuntimeIpcFiles
{
    private static readonly ConditionalWeakTable<System.Diagnostics.Process, string[]> s_files = [];

    /// <summary>Notes the files <paramref name="process"/>'s runtime will create; call right after it started.</summary>
    public static void Track(System.Diagnostics.Process process)
    {
        if (!OperatingSystem.IsLinux() || StartTimeTicks(process.Id) is not { } key)
        {
            return;
        }

        s_files.AddOrUpdate(process, FilesOf(process.Id, key));
    }

    /// <summary>
    /// Removes this process's own files, when it is about to end by a signal's default action (a second Ctrl-C), which
    /// gives its runtime no chance to; never throws.
    /// </summary>
    public static void RemoveOwnBeforeAForcedExit()
    {
        if (OperatingSystem.IsLinux() && StartTimeTicks(Environment.ProcessId) is { } key)
        {
            Delete(FilesOf(Environment.ProcessId, key));
        }
    }

    /// <summary>Removes <paramref name="process"/>'s files once it has exited; a no-op while it runs; never throws.</summary>
    public static void RemoveIfExited(System.Diagnostics.Process process)
    {
        if (!ProcessExit.HasExited(process) || !s_files.TryGetValue(process, out var files))
        {
            return;
        }

        s_files.Remove(process);
        Delete(files);
    }

    private static string[] FilesOf(int pid, ulong startTimeTicks)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{pid}-{startTimeTicks}");
        var temp = Path.GetTempPath();
        return [
            Path.Combine(temp, $"dotnet-diagnostic-{prefix}-socket"),
            Path.Combine(temp, $"clr-debug-pipe-{prefix}-in"),
            Path.Combine(temp, $"clr-debug-pipe-{prefix}-out"),
        ];
    }

    private static void Delete(string[] files)
    {
        foreach (var file in files)
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Best effort: another user's temp directory rules, or a file system gone read-only.
            }
        }
    }

    /// <summary>Field 22 of <c>/proc/PID/stat</c>: when the process started, in clock ticks since boot.</summary>
    /// <param name="stat">The whole line; the command name (field 2) may hold spaces and parentheses.</param>
    internal static ulong? StartTimeFromStat(string stat)
    {
        var afterName = stat.LastIndexOf(')');
        if (afterName < 0)
        {
            return null;
        }

        // Fields from the 3rd on follow the name's closing parenthesis; the start time is the 22nd.
        var fields = stat[(afterName + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }

    private static ulong? StartTimeTicks(int pid)
    {
        try
        {
            return StartTimeFromStat(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
