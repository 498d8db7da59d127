using SimHost.Layout.Jobs;

namespace SimHost.Tests.Jobs;

/// <summary>physics.step that, the first time it runs a range, scribbles over some rows and spins until it is killed.</summary>
public sealed class CrashOnceSpinJob : CrashOnceJob
{
    /// <inheritdoc/>
    public override string Name => CrashOnceJobNames.Spin;

    /// <inheritdoc/>
    protected override double ScribbledShare => 0.25;

    /// <inheritdoc/>
    protected override void Fail(JobContext context)
    {
        while (true)
        {
            Thread.SpinWait(1000);
        }
    }
}
