using SimHost.Layout.Jobs;
using SimHost.Tests.Host.Offload;

namespace SimHost.Tests.Host.SharedStorage;

/// <summary>A job that asks to write Rate, which its system declares as read-only: a mis-declared system.</summary>
public sealed class WritesItsInputJob : IJob
{
    /// <summary>The job's name.</summary>
    public const string JobName = "test.writes-its-input";

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Heat), typeof(Rate)];

    /// <inheritdoc/>
    public void Execute(JobContext context) => context.Write<Rate>().Fill(new Rate(-1));
}
