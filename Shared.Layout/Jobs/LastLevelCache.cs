using System.Globalization;

namespace SimHost.Layout.Jobs;

/// <summary>
/// The size of the processor's last-level cache, read once from Linux sysfs, so a job can tell whether its columns
/// will stay cached between frames or stream from memory anyway (and then write with <see cref="StreamingStores"/>).
/// </summary>
public static class LastLevelCache
{
    /// <summary>Assumed when the size cannot be read (not Linux, or sysfs hidden): a common server L3.</summary>
    public const long FallbackSizeBytes = 32L * 1024 * 1024;

    private const string CacheDirectory = "/sys/devices/system/cpu/cpu0/cache";

    private static readonly Lazy<long> s_sizeBytes = new(ReadSizeBytes);

    /// <summary>The last-level cache's size in bytes (<see cref="FallbackSizeBytes"/> if unknown).</summary>
    public static long SizeBytes => s_sizeBytes.Value;

    /// <summary>
    /// Whether <paramref name="workingSetBytes"/> touched once per frame outgrow the cache, so every frame reads them
    /// from memory and cached stores would only evict what could have stayed.
    /// </summary>
    public static bool IsOutgrownBy(long workingSetBytes) => workingSetBytes > SizeBytes;

    /// <summary>Parses a sysfs cache size such as <c>32768K</c>, <c>1M</c> or <c>512</c>; null when it is not one.</summary>
    internal static long? ParseSize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        long unit = 1;
        if (trimmed.EndsWith('K'))
        {
            unit = 1024;
        }
        else if (trimmed.EndsWith('M'))
        {
            unit = 1024 * 1024;
        }
        else if (trimmed.EndsWith('G'))
        {
            unit = 1024 * 1024 * 1024;
        }

        var digits = unit == 1 ? trimmed : trimmed[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= long.MaxValue / unit
            ? value * unit
            : null;
    }

    private static long ReadSizeBytes()
    {
        try
        {
            if (!Directory.Exists(CacheDirectory))
            {
                return FallbackSizeBytes;
            }

            // The highest level any cpu0 cache index reports is the last level; its size is the whole shared cache.
            var bestLevel = 0;
            long bestSize = 0;
            foreach (var index in Directory.EnumerateDirectories(CacheDirectory, "index*"))
            {
                if (!int.TryParse(File.ReadAllText(Path.Combine(index, "level")).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var level)
                    || ParseSize(File.ReadAllText(Path.Combine(index, "size"))) is not { } size)
                {
                    continue;
                }

                if (level > bestLevel || (level == bestLevel && size > bestSize))
                {
                    (bestLevel, bestSize) = (level, size);
                }
            }

            return bestSize > 0 ? bestSize : FallbackSizeBytes;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return FallbackSizeBytes;
        }
    }
}
