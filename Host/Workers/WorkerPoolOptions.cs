using Microsoft.Extensions.Logging;
using SimHost.Layout.Signals;

namespace SimHost.Host.Workers;

/// <summary>How a <see cref="WorkerPool"/> starts and supervises its worker processes.</summary>
public sealed record WorkerPoolOptions
{
    /// <summary>
    /// Worker processes to keep running (default 2). 0 starts none: every range runs in-process through the same snapshot
    /// and commit path, as <c>simhost run --workers 0</c>, and no worker executable is needed.
    /// </summary>
    public int WorkerCount { get; init; } = 2;

    /// <summary>
    /// How long one job range may run before its worker is killed and the range reported failed: from 1 ms to
    /// 4294967294 ms (about 49.7 days), the longest a .NET timer waits.
    /// </summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The least <see cref="JobTimeout"/>: a worker counts its timeout in whole milliseconds.</summary>
    internal static readonly TimeSpan MinJobTimeout = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// The most <see cref="JobTimeout"/>: the longest a .NET timer waits (<see cref="Task.WaitAsync(TimeSpan)"/> refuses
    /// more), one millisecond under what a worker's Welcome can carry (32-bit milliseconds).
    /// </summary>
    internal static readonly TimeSpan MaxJobTimeout = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>How long a new worker has to start, connect and say Hello.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long <see cref="WorkerPool.DisposeAsync"/> waits for workers to exit after Shutdown before killing them.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The job assemblies, loaded by the host (to check layouts) and by every worker, each with the dependencies its
    /// .deps.json names: give paths in the assemblies' build or publish output folders. For a module, its
    /// <see cref="Modules.SimulationModule.JobAssemblyPaths"/> (the module's own dll unless it names others).
    /// </summary>
    public IReadOnlyList<string> JobAssemblies { get; init; } = [];

    /// <summary>The least severe event a worker logs (sent in Welcome); worker lines are forwarded into the host's log.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>
    /// Where the pipes' sockets and mailboxes go: normally the run directory (private to the user, removed with it). Null
    /// gives the pool a private directory of its own (mode 0700, under <c>/dev/shm</c> or the temp folder), removed when
    /// the pool is disposed; a host killed before that leaves it to <see cref="SimHost.Layout.Segments.RunDirectory.RemoveStale"/>.
    /// The socket path must stay under 108 bytes; a longer one falls back to the temp directory.
    /// </summary>
    public string? PipeDirectory { get; init; }

    /// <summary>The folder holding simhost-worker; null looks next to the host (<see cref="AppContext.BaseDirectory"/>).</summary>
    public string? WorkerDirectory { get; init; }

    /// <summary>
    /// How often an idle worker is sent Ping; a busy worker is never pinged (its job timeout covers it).
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns the health check off.
    /// </summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a pinged worker has to answer Pong before it is killed and replaced.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Decides whether and when a failed worker slot is restarted (backoff and restart intensity limit).</summary>
    public RestartPolicy RestartPolicy { get; init; } = new();

    /// <summary>
    /// How JobStart and its reply travel: <see cref="SignalPath.Mailbox"/> (shared memory, spin then futex) where
    /// futex is available, else <see cref="SignalPath.Pipe"/>. The pipe carries everything else either way. Not a
    /// user's choice (the pool takes the mailbox wherever the platform has it); tests and benchmarks set the pipe to
    /// compare the two paths.
    /// </summary>
    internal SignalPath SignalPath { get; init; } = Futex.IsSupported ? SignalPath.Mailbox : SignalPath.Pipe;

    /// <summary>
    /// How the host waits for a job's mailbox reply: tight spins (the sweep in docs/signals.md), then, only for the
    /// last range of a batch with nothing waiting behind its caller, a core free for it (fewer busy workers than cores)
    /// and the worker's previous round trip within the limit, a yielding spin: a wake-up costs 0.1–0.6 ms on a small VM,
    /// a spinning thread sees the reply within a microsecond and continues the frame without a thread switch. Then it
    /// parks. The spin never outlasts <see cref="JobTimeout"/>.
    /// </summary>
    public IdleStrategy ReplyIdle { get; init; } = DefaultReplyIdle;

    /// <summary>The measured default for <see cref="ReplyIdle"/>: 1000 tight spins, a yielding spin of up to 4 ms.</summary>
    public static readonly IdleStrategy DefaultReplyIdle = IdleStrategy.SpinYieldThenPark(1000, TimeSpan.FromMilliseconds(4));

    /// <summary>
    /// How a worker waits for its next JobStart after replying: tight spins, then a yielding spin while frames come back
    /// to back (the previous gap fitted the limit); with a slower frame cadence it parks at once (docs/signals.md).
    /// </summary>
    public IdleStrategy WorkerIdle { get; init; } = DefaultWorkerIdle;

    /// <summary>The measured default for <see cref="WorkerIdle"/>: 1000 tight spins, a yielding spin of up to 1 ms.</summary>
    public static readonly IdleStrategy DefaultWorkerIdle = IdleStrategy.SpinYieldThenPark(1000, TimeSpan.FromMilliseconds(1));

    /// <summary>Throws for a value out of range, before any worker is started; the exception's parameter name is the property's.</summary>
    /// <exception cref="ArgumentException">A count, timeout, interval or idle strategy is out of range.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(WorkerCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(JobTimeout, MinJobTimeout);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(JobTimeout, MaxJobTimeout);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PingTimeout, TimeSpan.Zero);
        if (PingInterval != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PingInterval, TimeSpan.Zero);
        }

        ArgumentNullException.ThrowIfNull(RestartPolicy);
        ReplyIdle.Validate(nameof(ReplyIdle));
        WorkerIdle.Validate(nameof(WorkerIdle));
        RestartPolicy.Validate();
    }
}
