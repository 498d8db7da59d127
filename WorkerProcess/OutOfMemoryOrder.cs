namespace SimHost.Worker;

/// <summary>
/// Makes this worker the kernel's first choice when memory runs out (Linux: <c>oom_score_adj</c> 1000, the most). A
/// worker killed is a lost worker, replaced and its range run again; a host killed is the world gone until a resume. So
/// when a job allocates without end inside a memory-limited service (a cgroup's <c>MemoryMax</c>, a container's
/// <c>--memory</c>), the kernel's killer ends a worker before the host beside it, however much more memory the host holds
/// (the score adds the adjustment to the process's share of memory in thousandths, so only the most reliably wins).
/// </summary>
/// <remarks>
/// Any process may raise its own score; only a privileged one may lower it. Best effort: elsewhere, or when the file
/// cannot be written, the kernel's own choice stands.
/// </remarks>
internal static class OutOfMemoryOrder
{
    /// <summary>The score a worker gives itself: the highest, "kill this one first".</summary>
    public const string FirstChoice = "1000";

    private const string ScoreFile = "/proc/self/oom_score_adj";

    /// <summary>Sets this process's score to <see cref="FirstChoice"/>.</summary>
    public static void PreferThisWorker()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            File.WriteAllText(ScoreFile, FirstChoice);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A file system without /proc, or a sandbox that refuses the write: the kernel's own choice stands.
        }
    }
}
