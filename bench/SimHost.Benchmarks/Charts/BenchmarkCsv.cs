using System.Globalization;

namespace SimHost.Benchmarks.Charts;

/// <summary>
/// Reads the semicolon CSV reports BenchmarkDotNet writes with the suite's configuration (units in the header only):
/// one dictionary of column name to cell per row.
/// </summary>
internal static class BenchmarkCsv
{
    /// <summary>Every row of every <c>*-report.csv</c> under <paramref name="directory"/>.</summary>
    public static List<Dictionary<string, string>> ReadAll(string directory)
    {
        var rows = new List<Dictionary<string, string>>();
        foreach (var path in Directory.EnumerateFiles(directory, "*-report.csv", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllLines(path);
            if (lines.Length < 2)
            {
                continue;
            }

            var header = lines[0].Split(';');
            foreach (var line in lines.AsSpan(1))
            {
                var cells = line.Split(';');
                var row = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < header.Length && i < cells.Length; i++)
                {
                    row[header[i].Trim('"')] = cells[i].Trim('"');
                }

                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>A number cell: invariant culture, thousands separators allowed; null when the cell is missing or "NA".</summary>
    public static double? Number(Dictionary<string, string> row, string column) =>
        row.TryGetValue(column, out var text)
        && double.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
