using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SimHost.Benchmarks.Configuration;

/// <summary>
/// The mean time of one invocation divided by the benchmark's <c>Count</c> parameter, so every figure reads as
/// nanoseconds per entity whatever the entity count or <c>OperationsPerInvoke</c>.
/// </summary>
public sealed class NanosecondsPerEntityColumn : IColumn
{
    /// <summary>The name of the parameter that holds the entity count.</summary>
    public const string CountParameter = "Count";

    private NanosecondsPerEntityColumn()
    {
    }

    /// <summary>The single instance.</summary>
    public static NanosecondsPerEntityColumn Instance { get; } = new();

    /// <inheritdoc/>
    public string Id => nameof(NanosecondsPerEntityColumn);

    /// <inheritdoc/>
    public string ColumnName => "ns/entity";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => "Mean nanoseconds per entity: the time of one invocation divided by Count";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, summary.Style);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? perEntity = PerEntityNanoseconds(summary, benchmarkCase);
        return perEntity is { } value ? value.ToString("0.000", CultureInfo.InvariantCulture) : "-";
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <summary>The per-entity mean of one case, or null if it did not run or has no <c>Count</c> parameter.</summary>
    /// <returns>Nanoseconds per entity.</returns>
    public static double? PerEntityNanoseconds(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (mean is null || benchmarkCase.Parameters[CountParameter] is not int count || count <= 0)
        {
            return null;
        }

        // Mean is per operation; an invocation is OperationsPerInvoke operations over Count entities.
        return mean.Value * benchmarkCase.Descriptor.OperationsPerInvoke / count;
    }
}
