using System.Diagnostics;
using System.Globalization;

namespace SimHost.Layout.Segments;

/// <summary>
/// Tells whether a process id still names the process that wrote it: liveness from <c>/proc/&lt;pid&gt;</c>, and
/// the kernel start time (field 22 of <c>/proc/&lt;pid&gt;/stat</c>) to catch a pid the kernel has since reused.
/// </summary>
internal static class ProcessIdentity
{
    private const string ProcRoot = "/proc";

    /// <summary>True when <paramref name="processId"/> is a running (not zombie) process.</summary>
    public static bool IsAlive(int processId)
    {
        if (processId <= 0)
        {
            return false;
        }

        if (Directory.Exists(ProcRoot))
        {
            string? stat = ReadStat(processId);
            if (stat is null)
            {
                return Directory.Exists($"{ProcRoot}/{processId}");
            }

            // A zombie has exited; only its parent's wait keeps the entry.
            var fields = FieldsAfterCommand(stat);
            return fields.Length == 0 || fields[0] != "Z";
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The process's start time in clock ticks since boot, or null where /proc cannot say.</summary>
    public static long? StartTimeTicks(int processId)
    {
        string? stat = ReadStat(processId);
        if (stat is null)
        {
            return null;
        }

        // Field 22 (starttime); fields after the command start at field 3 (state).
        var fields = FieldsAfterCommand(stat);
        const int StartTimeIndex = 22 - 3;
        return fields.Length > StartTimeIndex
            && long.TryParse(fields[StartTimeIndex], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks)
            ? ticks
            : null;
    }

    /// <summary>The parent's pid (field 4 of <c>/proc/&lt;pid&gt;/stat</c>), or null where /proc cannot say.</summary>
    public static int? ParentOf(int processId) => IntField(processId, 4);

    /// <summary>The process group (field 5 of <c>/proc/&lt;pid&gt;/stat</c>), or null where /proc cannot say.</summary>
    public static int? ProcessGroupOf(int processId) => IntField(processId, 5);

    // Fields after the command start at field 3 (state).
    private static int? IntField(int processId, int field)
    {
        var fields = ReadStat(processId) is { } stat ? FieldsAfterCommand(stat) : [];
        return fields.Length > field - 3 && int.TryParse(fields[field - 3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private static string? ReadStat(int processId)
    {
        try
        {
            return File.ReadAllText($"{ProcRoot}/{processId}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // The command (field 2) is in parentheses and may itself contain spaces and parentheses: split after the last ')'.
    private static string[] FieldsAfterCommand(string stat)
    {
        int end = stat.LastIndexOf(')');
        return end < 0 ? [] : stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
