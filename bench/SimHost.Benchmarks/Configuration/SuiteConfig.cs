using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Perfolizer.Metrology;

namespace SimHost.Benchmarks.Configuration;

/// <summary>
/// The suite's configuration: allocations per operation, a nanoseconds-per-entity column, and a semicolon CSV
/// without units that <c>scripts/bench.sh</c> parses. The full job is BenchmarkDotNet's default (separate process);
/// the short job runs in process with few, short iterations; the quick job runs the targets only, barely warmed up.
/// </summary>
public static class SuiteConfig
{
    /// <summary>The command-line switch that selects the short job.</summary>
    public const string ShortOption = "--short";

    /// <summary>The command-line switch that selects the quick run of the targets only.</summary>
    public const string QuickOption = "--quick";

    /// <summary>The environment variable that selects the short job when set to <c>1</c>.</summary>
    public const string ShortEnvironmentVariable = "SIMHOST_BENCH_SHORT";

    /// <summary>Builds the configuration of <paramref name="mode"/>: the in-process short or quick job, or the default one.</summary>
    /// <returns>The configuration to pass to the benchmark switcher.</returns>
    public static IConfig Create(SuiteMode mode)
    {
        // Plain numbers (no unit suffix, invariant culture) keep the CSV trivially parseable with awk.
        SummaryStyle style = SummaryStyle.Default
            .WithTimeUnit(TimeUnit.Nanosecond)
            .WithSizeUnit(SizeUnit.B)
            .WithCultureInfo(System.Globalization.CultureInfo.InvariantCulture);
        style = new SummaryStyle(
            style.CultureInfo,
            printUnitsInHeader: true,
            sizeUnit: style.SizeUnit,
            timeUnit: style.TimeUnit,
            printUnitsInContent: false,
            printZeroValuesInContent: true,
            maxParameterColumnWidth: style.MaxParameterColumnWidth,
            ratioStyle: RatioStyle.Value);

        ManualConfig config = ManualConfig.CreateEmpty()
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(NanosecondsPerEntityColumn.Instance)
            .AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .AddExporter(new CsvExporter(CsvSeparator.Semicolon, style))
            .WithSummaryStyle(style);

        if (mode == SuiteMode.Quick)
        {
            // Just enough to read a ratio: one warm-up and three 100 ms iterations; the whole target set runs in
            // well under a minute. The short and full jobs give the figures worth quoting.
            config.AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithIterationTime(TimeInterval.FromMilliseconds(100))
                .WithEvaluateOverhead(false)
                .WithId("Quick"));
        }
        else if (mode == SuiteMode.ShortJob)
        {
            // Overhead evaluation is skipped: every operation here takes at least tens of microseconds.
            config.AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(5)
                .WithIterationTime(TimeInterval.FromMilliseconds(200))
                .WithEvaluateOverhead(false)
                .WithId("Short"));
        }
        else
        {
            config.AddJob(Job.Default);
        }

        return config;
    }
}
