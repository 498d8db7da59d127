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
            var name = Path.GetFileName(path);
            if (name.Length == Prefix.Length + 12 && long.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var frame))
            {
                found.Add((frame, path));
            }
        }

        found.Sort(static (a, b) => a.Item1.CompareTo(b.Item1));
        return found;
    }

    /// <summary>The newest complete checkpoint in <paramref name="directory"/>, or null.</summary>
    public static string? Newest(string directory) => List(directory) is { Count: > 0 } all ? all[^1].Path : null;

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
                throw new CheckpointException(CheckpointError.Unreadable, all[i].Path, $"an old checkpoint cannot be removed: {exception.Message}", exception);
            }
        }

        return path;
    }
}
