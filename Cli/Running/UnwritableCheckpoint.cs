using SimHost.Host.Persistence;

namespace SimHost.Host.Running;

/// <summary>
/// The line for a checkpoint a run cannot write (a full disk, a folder taken away): the disk's problem, not a bug, so
/// it names what failed, the newest checkpoint that is whole (a failed write never touches it), and how to go on:
/// fix the folder and continue from that checkpoint with <c>--resume</c>. No stack trace to point at.
/// </summary>
internal static class UnwritableCheckpoint
{
    /// <summary>The one line (after <c>simhost: </c>) for <paramref name="exception"/>, a write into <paramref name="directory"/> that failed.</summary>
    /// <param name="exception">The failed write (<see cref="CheckpointError.Unwritable"/>).</param>
    /// <param name="directory">The run's <c>--checkpoint-dir</c>.</param>
    public static string Describe(CheckpointException exception, string directory)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var reason = ScenarioRun.OneLine(exception.InnerException?.Message ?? exception.Message);
        var failed = Path.GetFileName(exception.FileName.TrimEnd(Path.DirectorySeparatorChar));
        var newest = SafeNewest(directory) is { } path ? Path.GetFileName(path) : null;

        // Removing an old checkpoint comes after the new one is complete: the new one may be the newest itself.
        if (newest is not null && string.CompareOrdinal(failed, newest) < 0)
        {
            return $"the run failed: the old checkpoint {failed} cannot be removed from '{directory}' ({reason}); {newest} is complete: fix the folder, then continue with --resume '{directory}'.";
        }

        var goOn = newest is null
            ? "no checkpoint of it is complete yet: free space or give another --checkpoint-dir and run it again"
            : $"{newest} is complete and untouched: free space or fix the folder, then continue with --resume '{directory}'";
        return $"the run failed: {failed} cannot be written to '{directory}' ({reason}); {goOn}.";
    }

    // The folder may be the very thing that is broken: the line is still given, without the newest checkpoint.
    private static string? SafeNewest(string directory)
    {
        try
        {
            return CheckpointStore.Newest(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
