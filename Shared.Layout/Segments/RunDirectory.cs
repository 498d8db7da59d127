using System.Globalization;
using System.Security.Cryptography;

namespace SimHost.Layout.Segments;

/// <summary>
/// The private directory one host run keeps its segment files in: <c>simhost-&lt;pid&gt;-&lt;random hex&gt;</c>
/// with mode 0700 under <c>/dev/shm</c> (or the temp directory, or a root the user chose), holding an
/// <c>owner.pid</c> file so a later run can tell a crashed host's leftovers from a live host's directory.
/// </summary>
public sealed class RunDirectory : IDisposable
{
    /// <summary>The prefix of every run directory's name.</summary>
    internal const string DirectoryPrefix = "simhost-";

    /// <summary>The file inside a run directory that records its owner: pid on the first line, start time on the second.</summary>
    internal const string OwnerFileName = "owner.pid";

    private const string SharedMemoryRoot = "/dev/shm";
    private const int CreateAttempts = 8;
    private bool _isDisposed;

    private RunDirectory(string path, int ownerProcessId)
    {
        Path = path;
        OwnerProcessId = ownerProcessId;
    }

    /// <summary>The run directory's full path.</summary>
    public string Path { get; }

    /// <summary>The id of the process that created the directory (this one).</summary>
    internal int OwnerProcessId { get; }

    /// <summary>The root run directories go under by default: <c>/dev/shm</c> when present, else the temp directory.</summary>
    public static string DefaultRoot => Directory.Exists(SharedMemoryRoot) ? SharedMemoryRoot : System.IO.Path.GetTempPath();

    /// <summary>
    /// Creates a fresh run directory under <paramref name="root"/>, or under <c>/dev/shm</c> when it is writable and
    /// the temp directory otherwise.
    /// </summary>
    /// <param name="root">A root the user chose (<c>--run-dir</c>), created with mode 0700 if missing; null for the default.</param>
    /// <returns>The new, empty run directory (apart from its owner file).</returns>
    /// <exception cref="IOException">The directory cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The root is not writable.</exception>
    public static RunDirectory Create(string? root = null)
    {
        if (root is not null)
        {
            CreatePrivateDirectory(root);
            return CreateUnder(root);
        }

        if (Directory.Exists(SharedMemoryRoot))
        {
            try
            {
                return CreateUnder(SharedMemoryRoot);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // /dev/shm exists but is not writable here (some containers): the temp directory still works.
            }
        }

        return CreateUnder(System.IO.Path.GetTempPath());
    }

    /// <summary>
    /// Deletes the run directories under <paramref name="root"/> whose owner process has exited (or whose pid now
    /// names a different process). A directory whose owner may still be alive is always kept.
    /// </summary>
    /// <param name="root">The root to sweep, e.g. <see cref="DefaultRoot"/> or the user's <c>--run-dir</c>.</param>
    /// <returns>The full paths of the directories removed.</returns>
    public static IReadOnlyList<string> RemoveStale(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var removed = new List<string>();
        if (!Directory.Exists(root))
        {
            return removed;
        }

        foreach (string directory in Directory.EnumerateDirectories(root, DirectoryPrefix + "*"))
        {
            var info = new DirectoryInfo(directory);
            if (info.LinkTarget is not null || !TryParseOwner(info.Name, out int processId) || IsOwnerAlive(directory, processId))
            {
                continue;
            }

            try
            {
                Directory.Delete(directory, recursive: true);
                removed.Add(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's directory, or another sweeper got there first: not ours to report.
            }
        }

        return removed;
    }

    /// <summary>The path of the segment file <paramref name="name"/> inside this run directory.</summary>
    /// <param name="name">A plain file name: letters, digits, '.', '_' and '-', not starting with '.'.</param>
    /// <returns>The full path.</returns>
    /// <exception cref="ArgumentException">The name is empty or could escape the directory.</exception>
    internal string SegmentPath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name[0] == '.' || name.Equals(OwnerFileName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Segment name '{name}' is reserved.", nameof(name));
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                throw new ArgumentException($"Segment name '{name}' may hold only letters, digits, '.', '_' and '-'.", nameof(name));
            }
        }

        return System.IO.Path.Combine(Path, name);
    }

    /// <summary>Deletes the run directory and every segment file in it.</summary>
    public void Dispose()
    {
        if (_isDisposed)
        {
            return;
        }

        _isDisposed = true;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone (a sweeper or the user removed it): nothing left to clean.
        }
    }

    private static RunDirectory CreateUnder(string root)
    {
        int processId = Environment.ProcessId;
        for (int attempt = 0; ; attempt++)
        {
            // 64 random bits: nobody can pre-create the directory we are about to use in a shared /dev/shm.
            string name = $"{DirectoryPrefix}{processId.ToString(CultureInfo.InvariantCulture)}-{RandomNumberGenerator.GetHexString(16, lowercase: true)}";
            string path = System.IO.Path.Combine(System.IO.Path.GetFullPath(root), name);
            if (Directory.Exists(path) || File.Exists(path))
            {
                if (attempt + 1 >= CreateAttempts)
                {
                    throw new IOException($"Cannot find a free run directory name under '{root}'.");
                }

                continue;
            }

            CreatePrivateDirectory(path);
            try
            {
                WriteOwnerFile(path, processId);
            }
            catch
            {
                Directory.Delete(path, recursive: true);
                throw;
            }

            return new RunDirectory(path, processId);
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        bool existed = Directory.Exists(path);
        Directory.CreateDirectory(path, Private);
        if (!existed)
        {
            // The umask can only narrow the mode; set it exactly so the result does not depend on the environment.
            File.SetUnixFileMode(path, Private);
        }
    }

    private static void WriteOwnerFile(string directory, int processId)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        long? startTime = ProcessIdentity.StartTimeTicks(processId);
        using var writer = new StreamWriter(System.IO.Path.Combine(directory, OwnerFileName), options);
        writer.Write(FormattableString.Invariant($"{processId}\n{startTime}\n"));
    }

    // "simhost-<pid>-<hex>": the pid in the name is the fallback when the owner file is missing or unreadable.
    private static bool TryParseOwner(string name, out int processId)
    {
        processId = 0;
        var rest = name.AsSpan(DirectoryPrefix.Length);
        int dash = rest.IndexOf('-');
        return dash > 0
            && int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out processId)
            && processId > 0;
    }

    private static bool IsOwnerAlive(string directory, int processId)
    {
        if (!ProcessIdentity.IsAlive(processId))
        {
            return false;
        }

        // The pid is alive; it is the owner unless the recorded start time proves the kernel reused the pid.
        // Anything unreadable or missing counts as alive: a live host's directory must never be deleted.
        string[] lines;
        try
        {
            lines = File.ReadAllLines(System.IO.Path.Combine(directory, OwnerFileName));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }

        if (lines.Length < 2
            || !int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out int recordedId)
            || recordedId != processId
            || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out long recordedStart))
        {
            return true;
        }

        long? currentStart = ProcessIdentity.StartTimeTicks(processId);
        return currentStart is null || currentStart == recordedStart;
    }
}
