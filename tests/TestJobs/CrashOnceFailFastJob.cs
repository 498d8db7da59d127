using SimHost.Layout.Jobs;

namespace SimHost.Tests.Jobs;

/// <summary>physics.step that, the first time it runs a range, scribbles over half of it and calls Environment.FailFast.</summary>
public sealed class CrashOnceFailFastJob : CrashOnceJob
{
    /// <inheritdoc/>
    public override string Name => CrashOnceJobNames.FailFast;

    /// <inheritdoc/>
    protected override void Fail(JobContext context) => Environment.FailFast($"{Name} ends the worker on purpose");
}
