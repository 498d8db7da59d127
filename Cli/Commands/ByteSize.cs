using System.Globalization;

namespace SimHost.Host.Cli;

/// <summary>Parses and prints byte sizes such as <c>64MiB</c>, <c>512 KiB</c>, <c>2GiB</c> or a plain byte count.</summary>
internal static class ByteSize
{
    private const long KiB = 1024;
    private const long MiB = 1024 * KiB;
    private const long GiB = 1024 * MiB;

    /// <summary>The units <see cref="TryParse"/> accepts, for error messages.</summary>
    public const string AcceptedForms = "a size such as 64MiB, 512KiB, 2GiB or a byte count";

    /// <summary>Parses <paramref name="text"/>; binary units only (KiB, MiB, GiB; KB/MB/GB are read as the same).</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var span = text.AsSpan().Trim();
        var unitStart = span.Length;
        while (unitStart > 0 && char.IsLetter(span[unitStart - 1]))
        {
            unitStart--;
        }

        var number = span[..unitStart].TrimEnd();
        var unit = span[unitStart..];
        long multiplier;
        if (unit.IsEmpty || unit.Equals("B", StringComparison.OrdinalIgnoreCase))
        {
            multiplier = 1;
        }
        else if (unit.Equals("KiB", StringComparison.OrdinalIgnoreCase) || unit.Equals("KB", StringComparison.OrdinalIgnoreCase) || unit.Equals("K", StringComparison.OrdinalIgnoreCase))
        {
            multiplier = KiB;
        }
        else if (unit.Equals("MiB", StringComparison.OrdinalIgnoreCase) || unit.Equals("MB", StringComparison.OrdinalIgnoreCase) || unit.Equals("M", StringComparison.OrdinalIgnoreCase))
        {
            multiplier = MiB;
        }
        else if (unit.Equals("GiB", StringComparison.OrdinalIgnoreCase) || unit.Equals("GB", StringComparison.OrdinalIgnoreCase) || unit.Equals("G", StringComparison.OrdinalIgnoreCase))
        {
            multiplier = GiB;
        }
        else
        {
            return false;
        }

        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            return false;
        }

        var total = value * multiplier;
        if (total > long.MaxValue)
        {
            return false;
        }

        bytes = (long)decimal.Floor(total);
        return true;
    }

    /// <summary>Formats <paramref name="bytes"/> with the largest binary unit that keeps it readable.</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= GiB when bytes % GiB == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / GiB}GiB"),
        >= GiB => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)GiB:0.##}GiB"),
        >= MiB when bytes % MiB == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / MiB}MiB"),
        >= MiB => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)MiB:0.##}MiB"),
        >= KiB when bytes % KiB == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / KiB}KiB"),
        >= KiB => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)KiB:0.##}KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes}B"),
    };
}
