using System.Globalization;

namespace SimHost.Host.Diagnostics;

/// <summary>
/// Writes a duration as a user writes it on the command line (<c>500ms</c>, <c>10s</c>), for messages and log lines:
/// <see cref="TimeSpan"/>'s own form (<c>00:00:00.5000000</c>) is not what the flag was given as.
/// </summary>
internal static class DurationFormat
{
    /// <summary>Whole seconds as <c>10s</c>, anything else as milliseconds, <c>500ms</c> or <c>1500ms</c>.</summary>
    public static string Format(TimeSpan duration) => duration.TotalSeconds >= 1 && duration.Ticks % TimeSpan.TicksPerSecond == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{(long)duration.TotalSeconds}s")
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0.###}ms");
}
