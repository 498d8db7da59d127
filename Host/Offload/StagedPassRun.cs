using System.Threading.Tasks.Sources;

namespace SimHost.Host.Offload;

/// <summary>
/// A staged pass (<see cref="StagedInProcessPass"/>) run on a thread-pool thread, for a system whose caller must not
/// be held (other systems of its level start after it): the same pass, awaited. One per pass, one frame at a time,
/// reused, so steady frames allocate nothing.
/// </summary>
internal sealed class StagedPassRun(StagedInProcessPass pass) : IThreadPoolWorkItem, IValueTaskSource<OffloadResult>
{
    private ManualResetValueTaskSourceCore<OffloadResult> _core = new() { RunContinuationsAsynchronously = false };

    /// <summary>Starts the prepared pass on the thread pool.</summary>
    public ValueTask<OffloadResult> Start()
    {
        _core.Reset();
        var pending = new ValueTask<OffloadResult>(this, _core.Version);
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return pending;
    }

    /// <inheritdoc/>
    public void Execute()
    {
        try
        {
            _core.SetResult(pass.Run());
        }
#pragma warning disable CA1031 // Handed to the awaiting caller, which rethrows it as the synchronous run would.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _core.SetException(exception);
        }
    }

    /// <inheritdoc/>
    public OffloadResult GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
