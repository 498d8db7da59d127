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

    // A removed checkpoint kept for the next write to write over (see Write); null when there is none.
    private string? _spare;

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

    /// <summary>
    /// Writes <paramref name="content"/> as the checkpoint of frame <paramref name="frame"/> (paced by
    /// <paramref name="pacer"/> if given), then removes all but the newest <see cref="Kept"/>.
    /// </summary>
    /// <remarks>
    /// The first checkpoint removed is not deleted but renamed to a hidden spare (<c>.checkpoint-….old-…</c>, which no
    /// reader lists), and the next write takes the spare's files over and writes over them (see
    /// <see cref="CheckpointFiles.WriteDirectory"/>). Deleting a checkpoint and allocating the next one's blocks took
    /// about a third of a write's time at 1M particles and two fifths at 4M on the reference VM (an ext4 mounted with
    /// <c>discard</c>, where a deletion also trims the freed blocks; docs/benchmarks/README.md, thirteenth pass). The
    /// run's disk use at rest is the <see cref="Kept"/> checkpoints and one spare, the same as while a checkpoint is
    /// being written. <see cref="RemoveSpare"/> deletes the spare at the run's end; one a
    /// killed run left is removed by the next run's <see cref="RemoveUnfinished"/>.
    /// </remarks>
    /// <returns>The new checkpoint's path.</returns>
    /// <exception cref="CheckpointException">The checkpoint cannot be written.</exception>
    public string Write(long frame, CheckpointContent content, CheckpointPacer? pacer = null)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{frame:D12}");
        var path = Path.Combine(Directory, name);
        var spare = _spare;
        _spare = null;
        CheckpointFiles.WriteDirectory(content, path, pacer, spare);
        var all = List(Directory);
        for (var i = 0; i < all.Count - Kept; i++)
        {
            try
            {
                if (_spare is null)
                {
                    var renamed = Path.Combine(Directory, $".{Path.GetFileName(all[i].Path)}.old-{Environment.ProcessId}-{Guid.NewGuid():N}");
                    System.IO.Directory.Move(all[i].Path, renamed);

                    // Made durable before the next write overwrites its files: a rename lost to a power cut would
                    // otherwise leave the old name listing files that hold a later checkpoint's bytes.
                    DirectorySync.Flush(Directory);
                    _spare = renamed;
                }
                else
                {
                    System.IO.Directory.Delete(all[i].Path, recursive: true);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new CheckpointException(CheckpointError.Unwritable, all[i].Path, $"an old checkpoint cannot be removed: {exception.Message}", exception);
            }
        }

        return path;
    }

    /// <summary>Deletes the spare kept for the next write, if any (the run writes no more checkpoints); best effort.</summary>
    /// <returns>Whether a spare was there and is gone.</returns>
    public bool RemoveSpare()
    {
        if (_spare is not { } spare)
        {
            return false;
        }

        _spare = null;
        try
        {
            System.IO.Directory.Delete(spare, recursive: true);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Left to the next run's RemoveUnfinished, as after a killed run.
            return false;
        }
    }
}
