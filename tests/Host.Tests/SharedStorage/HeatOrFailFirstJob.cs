using SimHost.Layout.Jobs;
using SimHost.Tests.Host.Offload;

namespace SimHost.Tests.Host.SharedStorage;

/// <summary>
/// Adds Rate to Heat in place, except on the range starting at row 0, where it scribbles over every row, flags them
/// all and then throws: a failed range that leaves garbage behind in its written columns.
/// </summary>
public sealed class HeatOrFailFirstJob : IJob
{
    /// <summary>The job's name.</summary>
    public const string JobName = "test.heat-or-fail-first";

    /// <summary>What the failing range writes before it throws.</summary>
    public const int Scribble = -999;

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Heat), typeof(Rate)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        var heat = context.Write<Heat>();
        if (context.RowStart == 0)
        {
            heat.Fill(new Heat(Scribble));
            context.MarkChanged<Heat>(0, context.RowCount);
            throw new InvalidOperationException("the first range fails on purpose");
        }

        var rate = context.Read<Rate>();
        for (var row = 0; row < heat.Length; row++)
        {
            heat[row] = new Heat(heat[row].Value + rate[row].Value);
            context.MarkChanged<Heat>(row);
        }
    }
}
