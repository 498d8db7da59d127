using Grazers.Components;
using MathNet.Numerics.Integration;
using SimHost.Layout.Jobs;

namespace Grazers.Jobs;

/// <summary>
/// <c>grazers.regrow</c>: grass grows back on every cell that is not full, at a rate that follows the sun. The growth
/// over the tick is the integral of the rate from <c>t</c> to <c>t + dt</c>, taken with MathNet.Numerics'
/// Gauss–Legendre rule: a NuGet package neither simhost nor simhost-worker carries, loaded with this assembly.
/// </summary>
public sealed class RegrowJob : IJob
{
    /// <summary>The job's name, as the regrow system names it.</summary>
    public const string JobName = "grazers.regrow";

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Pasture)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        var parameters = context.ParametersAs<GrowthParameters>();
        var start = context.Time;
        var end = start + context.DeltaTime;

        // Sunlight over the tick, the same for every cell: one integral per range, not per row.
        var dayLength = (double)parameters.DayLength;
        var sunlight = GaussLegendreRule.Integrate(t => Sun(t, dayLength), start, end, order: 8);
        var cells = context.Write<Pasture>();
        for (var row = 0; row < cells.Length; row++)
        {
            ref var cell = ref cells[row];
            if (cell.Grass >= parameters.Capacity)
            {
                continue;
            }

            // Logistic growth: fast on a bare cell, slowing as it fills.
            var room = 1f - (cell.Grass / parameters.Capacity);
            cell.Grass = MathF.Min(parameters.Capacity, cell.Grass + (cell.Fertility * (float)sunlight * MathF.Max(room, 0.05f)));
            context.MarkChanged<Pasture>(row);
        }
    }

    // Growth rate over the day: 0.2 at night, 1 at noon.
    private static double Sun(double time, double dayLength) => 0.6 - (0.4 * Math.Cos(2 * Math.PI * time / dayLength));
}
