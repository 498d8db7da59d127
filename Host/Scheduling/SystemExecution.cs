using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace SimHost.Host.Scheduling;

/// <summary>
/// The per-system, reused run state of a <see cref="ScheduleRunner"/>: it runs the work, captures its outcome and
/// time, and doubles as a thread-pool work item and value-task source so that dispatching a system to the pool
/// allocates nothing per frame.
/// </summary>
internal sealed class SystemExecution : IThreadPoolWorkItem, IValueTaskSource
{
    private static readonly ContextCallback s_executeInContext = state => ((SystemExecution)state!).ExecuteCore();

    private readonly Action _onWorkCompleted;
    private ManualResetValueTaskSourceCore<bool> _completion;
    private SystemRunContext _context;
    private CancellationToken _cancellationToken;
    private ExecutionContext? _executionContext;
    private ValueTask _running;

    public SystemExecution(ScheduledSystem system)
    {
        System = system;
        _onWorkCompleted = OnWorkCompleted;
    }

    public ScheduledSystem System { get; }

    public SystemOutcome Outcome { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public Exception? Exception { get; private set; }

    /// <summary>The failed system a skip traces back to.</summary>
    public string? BlockedBy { get; private set; }

    public void Reset()
    {
        Outcome = SystemOutcome.NotRun;
        Elapsed = TimeSpan.Zero;
        Exception = null;
        BlockedBy = null;
    }

    public void Skip(string blockedBy)
    {
        Outcome = SystemOutcome.Skipped;
        BlockedBy = blockedBy;
    }

    public SystemReport ToReport() =>
        new(System.Descriptor.Name, System.Descriptor.Stage, Outcome, Elapsed, Exception, BlockedBy);

    /// <summary>Runs the work on the calling thread until its first await; never throws, the outcome records failures.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RunAsync(SystemRunContext context, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await System.Descriptor.Work(context, cancellationToken);
            Outcome = SystemOutcome.Succeeded;
        }
        catch (Exception exception)
        {
            // A failing system must not take its siblings or the frame down; the report carries the exception.
            Outcome = SystemOutcome.Failed;
            Exception = exception;
        }
        finally
        {
            Elapsed = Stopwatch.GetElapsedTime(start);
        }
    }

    /// <summary>Queues the work to the thread pool; the returned task completes when the work has finished.</summary>
    public ValueTask QueueOnThreadPool(SystemRunContext context, CancellationToken cancellationToken)
    {
        _context = context;
        _cancellationToken = cancellationToken;

        // Capture returns the current context instance (no copy), so AsyncLocal values such as log scopes flow.
        _executionContext = ExecutionContext.Capture();
        _completion.Reset();
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return new ValueTask(this, _completion.Version);
    }

    void IThreadPoolWorkItem.Execute()
    {
        if (_executionContext is null)
        {
            ExecuteCore();
        }
        else
        {
            ExecutionContext.Run(_executionContext, s_executeInContext, this);
        }
    }

    private void ExecuteCore()
    {
#pragma warning disable CA2012 // Stored so the completion callback can consume it exactly once.
        _running = RunAsync(_context, _cancellationToken);
#pragma warning restore CA2012
        if (_running.IsCompleted)
        {
            OnWorkCompleted();
        }
        else
        {
            _running.GetAwaiter().UnsafeOnCompleted(_onWorkCompleted);
        }
    }

    private void OnWorkCompleted()
    {
        // RunAsync never faults; GetResult returns its pooled state machine.
        _running.GetAwaiter().GetResult();
        _running = default;
        _executionContext = null;
        _completion.SetResult(true);
    }

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(
        Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
