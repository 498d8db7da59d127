namespace SimHost.Host.Offload;

/// <summary>
/// How much shared memory the offload path may map: the largest single segment file (<c>--segment-size</c>) and the
/// total over every offloaded system's segments (<c>--max-shared-memory</c>).
/// </summary>
/// <param name="MaxSegmentSizeBytes">The largest segment file; a snapshot with more rows spans several segments.</param>
/// <param name="MaxSharedMemoryBytes">The most bytes all segments of one run may take together.</param>
public sealed record SegmentLimits(long MaxSegmentSizeBytes, long MaxSharedMemoryBytes)
{
    /// <summary>The command-line flag that sets <see cref="MaxSegmentSizeBytes"/>.</summary>
    internal const string SegmentSizeFlag = "--segment-size";

    /// <summary>The command-line flag that sets <see cref="MaxSharedMemoryBytes"/>.</summary>
    internal const string MaxSharedMemoryFlag = "--max-shared-memory";

    /// <summary>The <c>simhost run</c> flag that places the segment files (quoted in messages).</summary>
    internal const string RunDirectoryFlag = "--run-dir";

    /// <summary>1 GiB segments and 4 GiB in total: room for tens of millions of particles.</summary>
    public static SegmentLimits Default { get; } = new(1L << 30, 4L << 30);
}
