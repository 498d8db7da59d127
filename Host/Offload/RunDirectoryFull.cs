using System.Globalization;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// A segment file the run directory has no room for (its file system is full: a container's 64 MB
/// <c>/dev/shm</c>, a small tmpfs): the world does not fit where it was put, which is the user's to fix, not a crash.
/// Reported as a <see cref="SharedMemoryLimitException"/>, whose message names the directory, the bytes and the fixes.
/// </summary>
internal static class RunDirectoryFull
{
    // ENOSPC on Linux and macOS, which .NET gives some IOExceptions as their HResult (not the one of a failed
    // preallocation, whose only sign is its message): so the file system's free space is asked as well.
    private const int NoSpace = 28;

    /// <summary>Whether <paramref name="exception"/>, from creating a segment of <paramref name="bytes"/> in <paramref name="runDirectory"/>, comes from its file system having no room.</summary>
    public static bool Is(Exception exception, RunDirectory runDirectory, long bytes) =>
        exception is IOException io && (io.HResult == NoSpace || FreeBytes(runDirectory.Path) < bytes);

    private static string Free(string path) => FreeBytes(path) is var free && free < long.MaxValue
        ? string.Create(CultureInfo.InvariantCulture, $"{free} bytes are free there")
        : "its file system is full";

    private static long FreeBytes(string path)
    {
        try
        {
            return new DriveInfo(path).AvailableFreeSpace;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>The limit exception for segments of <paramref name="bytes"/> (together) that <paramref name="runDirectory"/> has no room for.</summary>
    public static SharedMemoryLimitException Exception(RunDirectory runDirectory, long bytes, Exception cause) => new(
        string.Create(
            CultureInfo.InvariantCulture,
            $"The run directory '{runDirectory.Path}' has no room for {bytes} bytes of segments ({Free(runDirectory.Path)}); give its file system more room (a container's /dev/shm: docker run --shm-size), or another {SegmentLimits.RunDirectoryFlag} on a tmpfs with room (from a program: WithRunDirectory), or seed fewer entities."),
        cause);
}
