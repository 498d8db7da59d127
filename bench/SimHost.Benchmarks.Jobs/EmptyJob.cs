using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Benchmarks.Jobs;

/// <summary>
/// A job that does nothing and flags nothing: running it on a worker measures the round trip alone (JobStart out,
/// segment lookup, JobDone back), with no work and no commit.
/// </summary>
public sealed class EmptyJob : IJob
{
    /// <summary>The job's name.</summary>
    public const string JobName = "bench.empty";

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position)];

    /// <inheritdoc/>
    public void Execute(JobContext context) => ArgumentNullException.ThrowIfNull(context);
}
