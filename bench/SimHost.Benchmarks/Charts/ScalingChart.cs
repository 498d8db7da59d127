using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace SimHost.Benchmarks.Charts;

/// <summary>
/// The <c>chart</c> command: draws frame time against entity count, one line per mode (the plain SIMD loop, and each
/// storage with 0, 1 or 2 workers), from the CSV reports of <c>OffloadedFrameBenchmarks</c> (or any benchmark with
/// Count, Storage and Workers parameters), on log-log axes, into a PNG. Only the <c>physics.integrate</c> rows are
/// drawn when the report has an OffloadedJob column: that job is the plain loop's own arithmetic, so the gap between the lines
/// is what SimHost adds.
/// </summary>
internal static class ScalingChart
{
    private const string MeanColumn = "Mean [ns]";

    /// <summary>Draws the chart; returns the process exit code (2 when no usable rows were found).</summary>
    /// <param name="resultsDirectory">Where BenchmarkDotNet wrote its reports (e.g. BenchmarkDotNet.Artifacts/results).</param>
    /// <param name="pngPath">The image to write.</param>
    public static int Run(string resultsDirectory, string pngPath)
    {
        var series = new SortedDictionary<string, SortedDictionary<double, double>>(StringComparer.Ordinal);
        foreach (var row in BenchmarkCsv.ReadAll(resultsDirectory))
        {
            if (BenchmarkCsv.Number(row, "Count") is not { } count || BenchmarkCsv.Number(row, MeanColumn) is not { } meanNs
                || !row.TryGetValue("Method", out var method))
            {
                continue;
            }

            var name = SeriesName(method, row);
            if (name is null)
            {
                continue;
            }

            if (!series.TryGetValue(name, out var points))
            {
                points = [];
                series[name] = points;
            }

            // The plain loop is measured once per storage/worker case; keep its best figure per size.
            var ms = meanNs / 1e6;
            points[count] = points.TryGetValue(count, out var previous) ? Math.Min(previous, ms) : ms;
        }

        if (series.Count == 0)
        {
            Console.Error.WriteLine($"chart: no report under {resultsDirectory} has Count and '{MeanColumn}' columns; run OffloadedFrameBenchmarks first.");
            return 2;
        }

        // Colour says where the job ran, the line pattern says the storage, so either comparison reads at a glance.
        var plot = new Plot();
        var counts = new SortedSet<double>();
        foreach (var (name, points) in series)
        {
            var xs = points.Keys.Select(Math.Log10).ToArray();
            var ys = points.Values.Select(Math.Log10).ToArray();
            var line = plot.Add.Scatter(xs, ys, ColorOf(name));
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LinePattern = name.StartsWith("snapshot", StringComparison.Ordinal) ? LinePattern.Dashed
                : name.StartsWith("plain", StringComparison.Ordinal) ? LinePattern.Dotted
                : LinePattern.Solid;
            counts.UnionWith(points.Keys);
        }

        plot.Axes.Bottom.SetTicks([.. counts.Select(Math.Log10)], [.. counts.Select(EntityLabel)]);
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("0.###", CultureInfo.InvariantCulture),
        };
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
        plot.Grid.MinorLineWidth = 1;
        plot.Title("SimHost: one physics frame vs entity count");
        plot.XLabel("Entities (log scale)");
        plot.YLabel("Frame time, ms (log scale)");
        plot.ShowLegend(Alignment.UpperLeft);

        var directory = Path.GetDirectoryName(Path.GetFullPath(pngPath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        plot.SavePng(pngPath, 1000, 650);
        Console.WriteLine($"chart: wrote {pngPath} ({series.Count} series)");
        return 0;
    }

    private static string? SeriesName(string method, Dictionary<string, string> row)
    {
        if (row.TryGetValue("OffloadedJob", out var job) && job != SimHost.Physics.Jobs.IntegrateJob.JobName)
        {
            return null;
        }

        if (method == "PlainArraySimd")
        {
            return "plain SIMD loop (arrays)";
        }

        if (!row.TryGetValue("Storage", out var storage) || BenchmarkCsv.Number(row, "Workers") is not { } workers)
        {
            return null;
        }

        var where = workers == 0 ? "in-process" : workers == 1 ? "1 worker" : $"{workers} workers";
        return $"{storage.ToLowerInvariant()}, {where}";
    }

    private static Color ColorOf(string series) =>
        series.StartsWith("plain", StringComparison.Ordinal) ? Colors.Black
        : series.EndsWith("in-process", StringComparison.Ordinal) ? new Color(31, 119, 180)
        : series.EndsWith(", 1 worker", StringComparison.Ordinal) ? new Color(255, 127, 14)
        : new Color(44, 160, 44);

    private static string EntityLabel(double count) => count >= 1e6
        ? (count / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M"
        : (count / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k";
}
