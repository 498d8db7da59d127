using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using SimHost.Host.Diagnostics;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>
/// One place in the pool: a worker id, its pipe, its sequence counter (which continues across replacements) and
/// the current worker instance. It runs one range at a time on that worker; a <see cref="WorkerSupervisor"/>
/// starts the worker, watches it and starts the next.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore has no wait handle; see _exclusive.")]
internal sealed class WorkerSlot
{
    private readonly WorkerPoolContext _context;
    private readonly ILogger _logger;
    private readonly WorkerSupervisor _supervisor;

    // One request outstanding per worker (docs/protocol.md): a job and a Ping never overlap, and a busy worker is
    // never pinged. Never disposed: no wait handle is ever requested from it, so it holds nothing to release, and a
    // range finishing during pool shutdown must still be able to release it.
#pragma warning disable CA2213
    private readonly SemaphoreSlim _exclusive = new(1, 1);
#pragma warning restore CA2213
    private WorkerInstance? _current;
    private ulong _sequence;
    private TimeSpan _lastRoundTrip;
    private int _isQueued;
    private string? _lastFailure;
    private string? _downReason;

    public WorkerSlot(uint workerId, string pipePath, WorkerPoolContext context)
    {
        WorkerId = workerId;
        PipePath = pipePath;
        _context = context;
        _logger = context.Logger;
        _supervisor = new WorkerSupervisor(this, context);
    }

    public uint WorkerId { get; }

    public string PipePath { get; }

    /// <summary>Whether a worker is connected and its connection has not broken.</summary>
    public bool IsAlive => Current is { Connection.IsOpen: true };

    /// <summary>The current live worker's reported catalog, or null when none is connected.</summary>
    public JobCatalogMessage? Catalog => Current is { Connection.IsOpen: true } current ? current.Connection.Catalog : null;

    /// <summary>Whether the restart policy gave this slot up.</summary>
    public bool IsDown => Volatile.Read(ref _downReason) is not null;

    /// <summary>Why the slot went down (the policy's reason and the last failure), once <see cref="IsDown"/>.</summary>
    public string? DownReason => Volatile.Read(ref _downReason);

    /// <summary>This slot's last worker failure (a crash, a hang, a broken protocol, a failed start), or null.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>The current worker's pid, or null.</summary>
    public int? ProcessId => Current is { Connection.IsOpen: true } current ? current.Process.Id : null;

    /// <summary>Completes with whether the first start succeeded.</summary>
    public Task<bool> FirstStart => _supervisor.FirstStart;

    /// <summary>True once a worker of this slot has connected; false once the slot gave up before any did.</summary>
    public Task<bool> Settled => _supervisor.Settled;

    /// <summary>The supervision loop; ends when the pool shuts down or the policy gives the slot up.</summary>
    public Task Supervision { get; private set; } = Task.CompletedTask;

    /// <summary>The worker the supervisor connected last (possibly broken since), or null.</summary>
    internal WorkerInstance? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    public void StartSupervision() => Supervision = Task.Run(_supervisor.RunAsync);

    /// <summary>Marks the slot queued as idle; false when it already is.</summary>
    public bool TryMarkQueued() => Interlocked.Exchange(ref _isQueued, 1) == 0;

    public void MarkDequeued() => Volatile.Write(ref _isQueued, 0);

    /// <summary>The next sequence number of this slot's messages.</summary>
    internal ulong NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>Takes the slot for a Ping only when no job holds it; false when busy.</summary>
    internal bool TryEnterIdle() => _exclusive.Wait(0, CancellationToken.None);

    /// <summary>Releases what <see cref="TryEnterIdle"/> took.</summary>
    internal void ExitIdle() => _exclusive.Release();

    internal void RecordFailure(string failure)
    {
        Volatile.Write(ref _lastFailure, failure);
        _context.LatestFailure = failure;
    }

    /// <summary>Records that the restart policy gave the slot up, with the last failure.</summary>
    internal void MarkDown(string? policyReason) =>
        Volatile.Write(ref _downReason, $"slot {WorkerId}: {policyReason}{(LastFailure is { } failure ? $" after {failure}" : string.Empty)}");

    /// <summary>Kills <paramref name="instance"/> (never its replacement) for <paramref name="reason"/>; the range failed.</summary>
    internal RangeOutcome Kill(WorkerInstance instance, string reason)
    {
        // The reason does not name the worker: every place that shows it does (the range's outcome carries its id).
        RecordFailure($"worker {WorkerId}: {reason}");
        WorkerLog.Killed(_logger, WorkerId, reason);
        instance.Connection.Break(reason);
        ProcessExit.Kill(instance.Process);

        return RangeOutcome.Failed(reason, (int)WorkerId);
    }

    /// <summary>Runs one range on this slot's worker; never throws for a worker failure.</summary>
    public async Task<RangeOutcome> RunAsync(JobRange range, bool mayBlockCaller, CancellationToken cancellationToken)
    {
        // A Ping in flight holds the slot for at most the ping timeout.
        await _exclusive.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunExclusiveAsync(range, mayBlockCaller, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _exclusive.Release();
        }
    }

    private async Task<RangeOutcome> RunExclusiveAsync(JobRange range, bool mayBlockCaller, CancellationToken cancellationToken)
    {
        // One snapshot of process and connection: the supervisor may start a replacement meanwhile, and a
        // failure here must never kill or describe the replacement.
        var current = Current;
        var id = (int)WorkerId;
        if (current is not { Connection.IsOpen: true })
        {
            return RangeOutcome.Failed($"worker {id} is not running", id);
        }

        var start = new JobStartMessage(range);
        var sequence = NextSequence();
        var what = string.Create(CultureInfo.InvariantCulture, $"{range.JobName} rows {range.RowStart}+{range.RowCount} (#{sequence})");
        var busyWorkers = _context.EnterBusy();
        try
        {
            var replySpin = ReplySpinFor(mayBlockCaller, busyWorkers);
            var sent = Stopwatch.GetTimestamp();
            var reply = await current.Connection.RequestAsync(start, sequence, _context.Options.JobTimeout, replySpin, cancellationToken).ConfigureAwait(false);
            _lastRoundTrip = Stopwatch.GetElapsedTime(sent);
            var classified = JobReplyClassifier.Classify(reply, range, id, what);
            switch (classified.Kind)
            {
                case JobReplyKind.Done:
                    return classified.Outcome!.Value;
                case JobReplyKind.JobFailed:
                    RecordFailure($"{what} failed in worker {id}: {classified.Reason}");
                    WorkerLog.JobFailed(_logger, what, id, classified.Reason!);
                    return RangeOutcome.Failed($"{what} failed: {classified.Reason}", id);
                default:
                    return Kill(current, classified.Reason!);
            }
        }
        catch (TimeoutException)
        {
            return Kill(current, $"did not finish {what} within {DurationFormat.Format(_context.Options.JobTimeout)}; killed") with { CrashedOrHungItsWorker = true };
        }
        catch (WorkerBrokenException exception)
        {
            var exit = await current.DescribeExitAsync().ConfigureAwait(false);

            // Read before the kill below: a worker still alive (a broken pipe that was no death) then ends by SIGKILL
            // and is not the job's fault. One that died has been reaped by now (DescribeExitAsync waited for it).
            var endedByItself = ProcessExit.EndedByItself(current.Process);
            return Kill(current, $"failed during {what}: {exception.Message}{exit}") with { CrashedOrHungItsWorker = endedByItself };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker is mid-job with nobody waiting for its answer: it cannot be reused safely.
            Kill(current, $"the run was cancelled during {what}");
            throw;
        }
        finally
        {
            _context.ExitBusy();
        }
    }

    // The host thread may spin for the reply only when nothing waits behind its caller, a core is left for it beside
    // every busy worker, and the previous round trip fitted the strategy's limit (a long job is slept on).
    private TimeSpan ReplySpinFor(bool mayBlockCaller, int busyWorkers)
    {
        var options = _context.Options;
        var spin = mayBlockCaller && busyWorkers < Environment.ProcessorCount ? options.ReplyIdle.SpinTimeAfter(_lastRoundTrip) : TimeSpan.Zero;

        // Never past the job timeout, so a reply the spin sees is never one the timeout would have refused.
        return spin < options.JobTimeout ? spin : options.JobTimeout;
    }

    /// <summary>Asks the current worker to exit, waits up to the grace period, then kills what remains.</summary>
    public async Task ShutdownAsync()
    {
        var connection = Current?.Connection;
        var process = _supervisor.Launched;
        if (connection is { IsOpen: true })
        {
            try
            {
                await connection.SendAsync(ShutdownMessage.Instance, NextSequence(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (WorkerBrokenException)
            {
                // Already gone: the kill below is a no-op.
            }
        }

        if (process is not null)
        {
            await ProcessExit.WaitAsync(process, _context.Options.ShutdownGrace).ConfigureAwait(false);
            ProcessExit.Kill(process);
        }

        connection?.Break("the pool is shutting down");
    }
}
