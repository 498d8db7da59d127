using System.Runtime.InteropServices;

namespace SimHost.Host.Persistence;

/// <summary>
/// How many names a file has (its hard-link count), read with <c>statx</c> on Linux: a checkpoint file is written over
/// only when it has no other name, since another name (a backup made with <c>cp -al</c> or <c>rsync --link-dest</c>)
/// would see the new bytes.
/// </summary>
internal static partial class FileLinks
{
    private const int CurrentDirectory = -100;
    private const uint LinkCountField = 0x4;
    private const int LinkCountOffset = 16;
    private const int StatxBytes = 256;

    /// <summary>The names <paramref name="path"/> has, or null where that cannot be told (not Linux, an old kernel, an error).</summary>
    public static unsafe uint? Count(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // struct statx's layout is fixed by the kernel on every architecture: stx_nlink is the u32 at offset 16.
        var buffer = stackalloc byte[StatxBytes];
        try
        {
            return Statx(CurrentDirectory, path, 0, LinkCountField, buffer) == 0 && (*(uint*)buffer & LinkCountField) != 0
                ? *(uint*)(buffer + LinkCountOffset)
                : null;
        }
        catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
