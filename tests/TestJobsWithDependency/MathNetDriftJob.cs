using MathNet.Numerics;
using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Tests.JobsWithDependency;

/// <summary>Moves each particle up by dt × erf(vx): MathNet.Numerics must load wherever the job runs.</summary>
public sealed class MathNetDriftJob : IJob
{
    /// <inheritdoc/>
    public string Name => DependencyJobNames.MathNetDrift;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position), typeof(Velocity)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var positions = context.Write<Position>();
        var velocities = context.Read<Velocity>();
        for (var row = 0; row < positions.Length; row++)
        {
            positions[row].Y += (float)(context.DeltaTime * SpecialFunctions.Erf(velocities[row].X));
        }

        context.MarkChanged<Position>(0, context.RowCount);
    }
}
