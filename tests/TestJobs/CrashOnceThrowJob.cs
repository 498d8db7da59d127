using SimHost.Layout.Jobs;

namespace SimHost.Tests.Jobs;

/// <summary>physics.step that, the first time it runs a range, scribbles over half of it and throws.</summary>
public sealed class CrashOnceThrowJob : CrashOnceJob
{
    /// <inheritdoc/>
    public override string Name => CrashOnceJobNames.Throw;

    /// <inheritdoc/>
    protected override void Fail(JobContext context) => throw new InvalidOperationException($"{Name} fails frame {context.FrameId} row {context.RowStart} once, on purpose");
}
