using System.Globalization;

namespace SimHost.Host.Persistence;

/// <summary>
/// A directory of numbered checkpoints, <c>checkpoint-&lt;frame, 12 digits&gt;</c>, of which the newest
/// <see cref="Kept"/> are kept. A checkpoint appears under its name only once it is whole (see
/// <see cref="CheckpointFiles.WriteDirectory"/>); older ones are removed only after that. One run writes to a
/// directory at a time.
/// </summary>
internal sealed class CheckpointStore
{
    private const string Prefix = "checkpoint-";

    // What .NET reports for a file another process holds locked: ERROR_SHARING_VIOLATION on Windows; elsewhere the
    // errno of the refused flock, EWOULDBLOCK (11 on Linux, 35 on macOS).
    private const int SharingViolation = unchecked((int)0x80070020);
    private const int WouldBlockLinux = 11;
    private const int WouldBlockMac = 35;

    public CheckpointStore(string directory, int kept)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(kept, 1);
        Directory = Path.GetFullPath(directory);
        Kept = kept;
    }

    /// <summary>The directory holding the checkpoints.</summary>
    public string Directory { get; }

    /// <summary>How many complete checkpoints are kept.</summary>
    public int Kept { get; }

    /// <summary>The complete checkpoints in <paramref name="directory"/>, oldest first, with their frame numbers.</summary>
    public static IReadOnlyList<(long Frame, string Path)> List(string directory)
    {
        var found = new List<(long, string)>();
        if (!System.IO.Directory.Exists(directory))
        {
            return found;
        }

        foreach (var path in System.IO.Directory.EnumerateDirectories(directory, Prefix + "*"))
        {
            if (TryParseFrame(Path.GetFileName(path), out var frame))
            {
                found.Add((frame, path));
            }
        }

        found.Sort(static (a, b) => a.Item1.CompareTo(b.Item1));
        return found;
    }

    /// <summary>Whether <paramref name="name"/> is a checkpoint's folder name, <c>checkpoint-</c> and 12 digits.</summary>
    public static bool IsCheckpointName(string name) => TryParseFrame(name, out _);

    private static bool TryParseFrame(string name, out long frame)
    {
        frame = 0;
        return name.Length == Prefix.Length + 12 && name.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out frame);
    }

    /// <summary>The newest complete checkpoint in <paramref name="directory"/>, or null.</summary>
    public static string? Newest(string directory) => List(directory) is { Count: > 0 } all ? all[^1].Path : null;

    /// <summary>The hidden file a run holds locked while it writes checkpoints to the directory.</summary>
    public const string WriterLockFileName = ".simhost-writer.lock";

    /// <summary>
    /// Takes the directory for one writer: an exclusive lock on <see cref="WriterLockFileName"/>, held until the
    /// returned stream is disposed (the caller keeps it for the whole run) or the process ends, however it ends (the system drops the lock of a killed
    /// process). Without it, a second run on the directory removed the first one's checkpoint in progress (as a
    /// leftover of a killed writer) and each run's retention removed the other's checkpoints.
    /// </summary>
    /// <returns>The lock, or null when another process holds it.</returns>
    /// <remarks>.NET takes <c>flock</c> for <see cref="FileShare.None"/> on Linux and macOS, and a sharing lock on Windows.</remarks>
    public FileStream? TryLockForWriting()
    {
        try
        {
            return new FileStream(Path.Combine(Directory, WriterLockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception) when (exception.HResult == SharingViolation
            || (OperatingSystem.IsLinux() && exception.HResult == WouldBlockLinux)
            || (OperatingSystem.IsMacOS() && exception.HResult == WouldBlockMac))
        {
            return null;
        }
    }

    /// <summary>Removes hidden temporary directories that a writer killed mid-checkpoint left behind.</summary>
    /// <returns>How many were removed.</returns>
    public int RemoveUnfinished()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }

        var removed = 0;
        foreach (var path in System.IO.Directory.EnumerateDirectories(Directory, "." + Prefix + "*"))
        {
            var name = Path.GetFileName(path);
            if (name.Contains(".tmp-", StringComparison.Ordinal) || name.Contains(".old-", StringComparison.Ordinal))
            {
                System.IO.Directory.Delete(path, recursive: true);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Writes <paramref name="content"/> as the checkpoint of frame <paramref name="frame"/> (paced by <paramref name="pacer"/> if given), then removes all but the newest <see cref="Kept"/>.</summary>
    /// <returns>The new checkpoint's path.</returns>
    /// <exception cref="CheckpointException">The checkpoint cannot be written.</exception>
    public string Write(long frame, CheckpointContent content, CheckpointPacer? pacer = null)
    {
        var path = Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{frame:D12}"));
        CheckpointFiles.WriteDirectory(content, path, pacer);
        var all = List(Directory);
        for (var i = 0; i < all.Count - Kept; i++)
        {
            try
            {
                System.IO.Directory.Delete(all[i].Path, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new CheckpointException(CheckpointError.Unwritable, all[i].Path, $"an old checkpoint cannot be removed: {exception.Message}", exception);
            }
        }

        return path;
    }
}
