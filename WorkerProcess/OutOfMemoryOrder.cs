using System.Globalization;

namespace SimHost.Worker;

/// <summary>
/// Makes this worker the kernel's first choice over its host when memory runs out (Linux: <c>oom_score_adj</c>). A
/// worker killed is a lost worker, replaced and its range run again; a host killed is the world gone until a resume. So
/// when a job allocates without end inside a memory-limited service (a cgroup's <c>MemoryMax</c>, a container's
/// <c>--memory</c>), the kernel's killer ends the worker, not the larger host beside it.
/// </summary>
/// <remarks>
/// The worker raises its own score, inherited from the host, by <see cref="Raise"/> (at most to 1000): any process may
/// raise its own, only a privileged one lower it. Best effort: elsewhere, or when the file cannot be written, nothing
/// changes.
/// </remarks>
internal static class OutOfMemoryOrder
{
    /// <summary>How much a worker's score is raised above its host's: half the scale, so the host goes only if nothing else can.</summary>
    public const int Raise = 500;

    private const string ScoreFile = "/proc/self/oom_score_adj";
    private const int MaxScore = 1000;

    /// <summary>Raises this process's score by <see cref="Raise"/> over the one it was started with.</summary>
    public static void PreferThisWorker()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            var inherited = int.Parse(File.ReadAllText(ScoreFile).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            File.WriteAllText(ScoreFile, Math.Min(MaxScore, inherited + Raise).ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            // A file system without /proc, or a sandbox that refuses the write: the kernel's own choice stands.
        }
    }
}
