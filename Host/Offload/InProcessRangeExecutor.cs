using System.Threading.Tasks.Sources;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// Runs ranges in the host over its own mapping of the segment: <c>--workers 0</c>, and every offloaded system's
/// last-resort fallback. With more than one thread the ranges of a batch run at once, at most
/// <see cref="ParallelSlots"/> at a time, on thread-pool threads (the last range of a batch that may hold the caller
/// runs on the caller); each concurrent range gets its own job instance, as each worker process has its own. A job that
/// throws yields a failed outcome, never an exception. Steady frames allocate nothing but each range's JobContext.
/// </summary>
/// <remarks>
/// Ranges never share a row or a changed-bitset word (they start on multiples of 64 rows), so running them at once
/// writes exactly what running them one after another writes: the commit and the checksum are the same.
/// </remarks>
internal sealed class InProcessRangeExecutor : IRangeExecutor
{
    private readonly JobCatalog _catalog;
    private readonly Lock _gate = new();
    private readonly Stack<RangeRun> _idleRuns = new();
    private readonly Queue<RangeRun> _waiting = new();
    private readonly Dictionary<string, Stack<IJob>> _idleJobs = new(StringComparer.Ordinal);
    private readonly InProcessOverdueWatch? _overdue;
    private int _running;

    /// <summary>Runs jobs found in <paramref name="catalog"/> on up to <paramref name="threadCount"/> threads at once.</summary>
    /// <param name="catalog">The host's jobs.</param>
    /// <param name="threadCount">How many ranges may run at once; 1 runs every range on the caller, one after another.</param>
    /// <param name="overdue">Reports a range that outlasts the job timeout (it cannot be stopped); null reports nothing. The caller disposes it.</param>
    public InProcessRangeExecutor(JobCatalog catalog, int threadCount = 1, InProcessOverdueWatch? overdue = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        _catalog = catalog;
        ParallelSlots = threadCount;
        _overdue = overdue;
    }

    /// <summary>The thread count: a job is split into about this many ranges.</summary>
    public int ParallelSlots { get; }

    /// <inheritdoc/>
    public ValueTask<RangeOutcome> RunAsync(SharedSegment segment, JobRange range, bool mayBlockCaller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segment);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_catalog.TryGet(range.JobName, out var job))
        {
            return ValueTask.FromResult(RangeOutcome.Failed($"No job named '{range.JobName}' is loaded in the host.", workerId: null));
        }

        if (ParallelSlots == 1)
        {
            return ValueTask.FromResult(RunWatched(job, segment, range));
        }

        if (mayBlockCaller)
        {
            // Nothing waits behind the caller: it runs the range itself instead of sleeping until a thread does.
            var own = RentJob(range.JobName, job);
            try
            {
                return ValueTask.FromResult(RunWatched(own, segment, range));
            }
            finally
            {
                ReturnJob(range.JobName, own);
            }
        }

        RangeRun run;
        bool startNow;
        lock (_gate)
        {
            run = _idleRuns.Count > 0 ? _idleRuns.Pop() : new RangeRun(this);
            run.Segment = segment;
            run.Range = range;
            run.Prototype = job;
            startNow = _running < ParallelSlots;
            if (startNow)
            {
                _running++;
            }
            else
            {
                _waiting.Enqueue(run);
            }
        }

        var pending = run.Pending;
        if (startNow)
        {
            ThreadPool.UnsafeQueueUserWorkItem(run, preferLocal: false);
        }

        return pending;
    }

    /// <summary>
    /// Runs <paramref name="job"/> over <paramref name="range"/> on the calling thread, watched for the job timeout as
    /// <paramref name="described"/> (the rows the range stands for, when it runs on a staging copy of them). A job that
    /// throws yields a failed outcome. A <paramref name="context"/> of the caller's is reused for the job's view.
    /// </summary>
    internal RangeOutcome RunHere(IJob job, SharedSegment segment, in JobRange range, in JobRange described, JobContext? context = null)
    {
        var entry = _overdue?.Begin(described) ?? -1;
        try
        {
            return Run(job, segment, range, context);
        }
        finally
        {
            _overdue?.End(entry);
        }
    }

    /// <summary>A new instance of the job <paramref name="name"/>, for a thread that runs it on its own.</summary>
    /// <exception cref="InvalidOperationException">No job of that name is loaded in the host (the builder checks this first).</exception>
    internal IJob NewJobInstance(string name) =>
        _catalog.TryGet(name, out var prototype)
            ? (IJob)Activator.CreateInstance(prototype.GetType())!
            : throw new InvalidOperationException($"No job named '{name}' is loaded in the host.");

    private RangeOutcome RunWatched(IJob job, SharedSegment segment, in JobRange range) => RunHere(job, segment, range, range);

    private static RangeOutcome Run(IJob job, SharedSegment segment, in JobRange range, JobContext? context)
    {
        try
        {
            return JobRunner.Run(job, segment, range, context);
        }
#pragma warning disable CA1031 // A job is user code: whatever it throws is that range's failure, not the host's.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return RangeOutcome.Failed($"Job '{range.JobName}' threw {exception.GetType().Name}: {FirstLine(exception.Message)}", workerId: null);
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text : text[..end];
    }

    // Ranges that run at the same time get instances of their own (the catalog only holds classes with a public
    // parameterless constructor), kept for the next frame. The catalog's own instance is never used here: another
    // executor over the same catalog (the fallback) may be running it.
    private IJob RentJob(string name, IJob prototype)
    {
        lock (_gate)
        {
            if (!_idleJobs.TryGetValue(name, out var idle))
            {
                idle = new Stack<IJob>();
                _idleJobs.Add(name, idle);
            }

            if (idle.Count > 0)
            {
                return idle.Pop();
            }
        }

        return (IJob)Activator.CreateInstance(prototype.GetType())!;
    }

    private void ReturnJob(string name, IJob job)
    {
        lock (_gate)
        {
            _idleJobs[name].Push(job);
        }
    }

    // A finished range hands its thread to the next waiting one, if any; the thread goes back to the pool otherwise.
    private RangeRun? Finished()
    {
        lock (_gate)
        {
            if (_waiting.Count > 0)
            {
                return _waiting.Dequeue();
            }

            _running--;
            return null;
        }
    }

    private void Recycle(RangeRun run)
    {
        lock (_gate)
        {
            _idleRuns.Push(run);
        }
    }

    /// <summary>One range on its way through the thread pool: the work item and the source of the awaited outcome.</summary>
    private sealed class RangeRun(InProcessRangeExecutor owner) : IThreadPoolWorkItem, IValueTaskSource<RangeOutcome>
    {
        private ManualResetValueTaskSourceCore<RangeOutcome> _core;

        public SharedSegment? Segment { get; set; }

        public JobRange Range { get; set; }

        public IJob? Prototype { get; set; }

        public ValueTask<RangeOutcome> Pending => new(this, _core.Version);

        public void Execute()
        {
            // The next waiting range is taken before this one's outcome is published: the awaiting caller's
            // continuation may run right here, and the slot must not stay counted as busy while it does.
            RangeRun? next = this;
            while (next is not null)
            {
                var current = next;
                var outcome = current.RunOnThisThread();
                next = owner.Finished();
                current._core.SetResult(outcome);
            }
        }

        public RangeOutcome GetResult(short token)
        {
            var outcome = _core.GetResult(token);
            _core.Reset();
            owner.Recycle(this);
            return outcome;
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        private RangeOutcome RunOnThisThread()
        {
            var range = Range;
            var job = owner.RentJob(range.JobName, Prototype!);
            RangeOutcome outcome;
            try
            {
                outcome = owner.RunWatched(job, Segment!, range);
            }
            finally
            {
                owner.ReturnJob(range.JobName, job);
            }

            Segment = null;
            Range = default;
            Prototype = null;
            return outcome;
        }
    }
}
