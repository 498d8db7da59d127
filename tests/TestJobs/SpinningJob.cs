using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Tests.Jobs;

/// <summary>Never returns: the host must kill the worker when the job timeout passes.</summary>
public sealed class SpinningJob : IJob
{
    /// <inheritdoc/>
    public string Name => TestJobNames.Spin;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        while (true)
        {
            Thread.SpinWait(1000);
        }
    }
}
