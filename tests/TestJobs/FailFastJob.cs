using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Tests.Jobs;

/// <summary>Mutates and marks the first half of its range, then ends the process with Environment.FailFast.</summary>
public sealed class FailFastJob : IJob
{
    /// <inheritdoc/>
    public string Name => TestJobNames.FailFast;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var positions = context.Write<Position>();
        var half = positions.Length / 2;
        for (var i = 0; i < half; i++)
        {
            positions[i].X = -1f;
        }

        context.MarkChanged<Position>(0, half);
        Environment.FailFast("test.fail-fast ends the worker on purpose");
    }
}
