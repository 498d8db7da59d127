using System.Globalization;

namespace SimHost.Host.Workers;

/// <summary>Where a worker slot's pipe socket and mailbox file live, and their removal.</summary>
internal static class WorkerPipePaths
{
    // Unix socket paths are limited to 108 bytes including the terminator.
    private const int MaxSocketPathBytes = 107;

    /// <summary>The pipe of slot <paramref name="workerId"/>: in <paramref name="directory"/> when the path fits a socket, else in the temp folder.</summary>
    public static string For(string? directory, int workerId, string suffix)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"simhost-{Environment.ProcessId}-{suffix}-w{workerId}.pipe");
        if (directory is not null)
        {
            var path = Path.Combine(Path.GetFullPath(directory), name);
            if (System.Text.Encoding.UTF8.GetByteCount(path) <= MaxSocketPathBytes)
            {
                return path;
            }
        }

        return Path.Combine(Path.GetTempPath(), name);
    }

    /// <summary>The mailbox file: beside the pipe's socket, in the run directory when the pipe is there.</summary>
    public static string MailboxOf(string pipePath) => Path.ChangeExtension(pipePath, ".mailbox");

    /// <summary>Removes a socket or mailbox file; one that cannot be removed goes with the run directory.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The run directory's removal takes it with it.
        }
    }
}
