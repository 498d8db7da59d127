using System.Runtime.InteropServices;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// A second name for a file (<c>link(2)</c>): it shows whatever is written into that file, so a test can tell a file
/// written over from one replaced by a new file of the same name.
/// </summary>
internal static partial class HardLinks
{
    /// <summary>Makes <paramref name="link"/> a second name of <paramref name="existing"/>.</summary>
    public static void Create(string existing, string link)
    {
        if (Link(existing, link) != 0)
        {
            throw new IOException($"link('{existing}', '{link}') failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string link);
}
