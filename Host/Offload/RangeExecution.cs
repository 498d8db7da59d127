using System.Runtime.CompilerServices;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// Starts a range on an executor and awaits its outcome so that nothing but cancellation escapes: the executor
/// contract says failures are reported, and one that throws anyway fails only that range. Both offload
/// coordinators (snapshot and shared storage) go through here.
/// </summary>
internal static class RangeExecution
{
    /// <summary>Starts <paramref name="range"/>; an executor that throws synchronously yields a failed outcome.</summary>
    public static ValueTask<RangeOutcome> Start(IRangeExecutor executor, SharedSegment segment, in JobRange range, bool mayBlockCaller, CancellationToken cancellationToken)
    {
        try
        {
            return executor.RunAsync(segment, range, mayBlockCaller, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return ValueTask.FromResult(Failed(exception));
        }
    }

    /// <summary>Awaits a started range; an executor that throws asynchronously yields a failed outcome.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<RangeOutcome> Outcome(ValueTask<RangeOutcome> pending)
    {
        try
        {
            return await pending;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return Failed(exception);
        }
    }

    /// <summary>Where a range ran, for log lines.</summary>
    public static string Where(RangeOutcome outcome) => outcome switch
    {
        { WasNotStarted: true } => "no worker (not started)",
        { WorkerId: { } id } => $"worker {id}",
        _ => "the host",
    };

    private static RangeOutcome Failed(Exception exception) =>
        RangeOutcome.Failed($"{exception.GetType().Name}: {exception.Message}", workerId: null);
}
