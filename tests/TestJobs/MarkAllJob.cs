using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Tests.Jobs;

/// <summary>Sets Position.Y on every row of its range and marks every row changed.</summary>
public sealed class MarkAllJob : IJob
{
    /// <inheritdoc/>
    public string Name => TestJobNames.MarkAll;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var positions = context.Write<Position>();
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i].Y = TestJobNames.MarkValue;
        }

        context.MarkChanged<Position>(0, context.RowCount);
    }
}
