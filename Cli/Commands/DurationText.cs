using System.Globalization;
using SimHost.Host.Diagnostics;

namespace SimHost.Host.Cli;

/// <summary>Parses durations such as <c>250ms</c>, <c>2s</c>, <c>1.5s</c>, <c>1m</c>, <c>1h</c> or <c>00:00:05</c>.</summary>
internal static class DurationText
{
    /// <summary>The forms <see cref="TryParse"/> accepts, for error messages.</summary>
    public const string AcceptedForms = "a duration such as 250ms, 2s, 1.5s, 1m, 1h or 00:00:05";

    /// <summary>Parses <paramref name="text"/>; a bare number is read as seconds.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var span = text.AsSpan().Trim();
        if (span.Contains(':'))
        {
            return TimeSpan.TryParse(span, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
        }

        double scaleMs;
        ReadOnlySpan<char> number;
        if (span.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            scaleMs = 1;
            number = span[..^2];
        }
        else if (span.EndsWith("s", StringComparison.OrdinalIgnoreCase))
        {
            scaleMs = 1000;
            number = span[..^1];
        }
        else if (span.EndsWith("m", StringComparison.OrdinalIgnoreCase))
        {
            scaleMs = 60_000;
            number = span[..^1];
        }
        else if (span.EndsWith("h", StringComparison.OrdinalIgnoreCase))
        {
            scaleMs = 3_600_000;
            number = span[..^1];
        }
        else
        {
            scaleMs = 1000;
            number = span;
        }

        if (!double.TryParse(number.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value < 0 || value * scaleMs > TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(value * scaleMs);
        return true;
    }

    /// <summary>Formats a duration the way <see cref="TryParse"/> reads it back.</summary>
    public static string Format(TimeSpan duration) => DurationFormat.Format(duration);
}
