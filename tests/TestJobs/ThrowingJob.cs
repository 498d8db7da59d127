using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Tests.Jobs;

/// <summary>Throws from Execute: the worker must report JobFailed and stay alive.</summary>
public sealed class ThrowingJob : IJob
{
    /// <inheritdoc/>
    public string Name => TestJobNames.Throw;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position)];

    /// <inheritdoc/>
    public void Execute(JobContext context) => throw new InvalidOperationException(TestJobNames.ThrowMessage);
}
