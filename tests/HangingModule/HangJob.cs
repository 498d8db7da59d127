using SimHost.Layout.Jobs;

namespace SimHost.Tests.HangingModule;

/// <summary><c>test.hang</c>: never returns, as a job with an endless loop or a lost lock would not.</summary>
public sealed class HangJob : IJob
{
    /// <summary>The job's name, as the module's system names it.</summary>
    public const string JobName = "test.hang";

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Stuck)];

    /// <inheritdoc/>
    public void Execute(JobContext context) => Thread.Sleep(Timeout.Infinite);
}
