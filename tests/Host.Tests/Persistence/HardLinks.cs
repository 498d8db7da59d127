using System.Runtime.InteropServices;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// A file's identity (its inode number, from <c>statx</c>) and second names for it (<c>link(2)</c>): a test tells a
/// file written over (same inode) from one replaced by a new file of the same name, and makes a hard-linked backup.
/// </summary>
internal static unsafe partial class HardLinks
{
    private const int CurrentDirectory = -100;
    private const uint InodeField = 0x100;
    private const int InodeOffset = 32;

    /// <summary>Makes <paramref name="link"/> a second name of <paramref name="existing"/>.</summary>
    public static void Create(string existing, string link)
    {
        if (Link(existing, link) != 0)
        {
            throw new IOException($"link('{existing}', '{link}') failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>The inode number of <paramref name="path"/>: the same number, the same file.</summary>
    public static ulong Inode(string path)
    {
        // struct statx: stx_ino is the u64 at offset 32 on every architecture.
        var buffer = stackalloc byte[256];
        return Statx(CurrentDirectory, path, 0, InodeField, buffer) == 0
            ? *(ulong*)(buffer + InodeOffset)
            : throw new IOException($"statx('{path}') failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string link);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
