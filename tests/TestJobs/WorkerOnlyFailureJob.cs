using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Tests.Jobs;

/// <summary>
/// Takes down any worker it runs in (<see cref="WorkerOnlyFailure"/> says how), and in the host process only leaves a
/// marker file: a test sees whether the host ever ran it, without the host being taken down when it does.
/// </summary>
public sealed class WorkerOnlyFailureJob : IJob
{
    /// <inheritdoc/>
    public string Name => TestJobNames.WorkerOnlyFailure;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (hostProcessId, failure, markerPath) = WorkerOnlyFailureParameters.Read(context.Parameters);
        if (hostProcessId == Environment.ProcessId)
        {
            File.WriteAllText(markerPath, "ran in the host");
            return;
        }

        switch (failure)
        {
            case WorkerOnlyFailure.FailFast:
                Environment.FailFast("test.worker-only-failure ends the worker on purpose");
                break;
            case WorkerOnlyFailure.Exit:
                Environment.Exit(3);
                break;
            default:
                while (true)
                {
                    Thread.SpinWait(1000);
                }
        }
    }
}
