using System.Runtime.InteropServices;

namespace SimHost.Host.Persistence;

/// <summary>
/// fsync of a directory, so a rename inside it is durable: .NET flushes files (<see cref="FileStream.Flush(bool)"/>)
/// but has no call for a directory's entry list. A no-op off Linux and macOS.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;

    /// <summary>Flushes <paramref name="path"/>'s directory entries to disk; failures to open are ignored (best effort on odd file systems).</summary>
    public static void Flush(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var descriptor = Open(path, ReadOnly);
        if (descriptor < 0)
        {
            return;
        }

        try
        {
            _ = Fsync(descriptor);
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
