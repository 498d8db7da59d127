using Serilog.Events;
using SimHost.Host.SharedStorage;

namespace SimHost.Host.Cli;

/// <summary>Everything <c>simhost run</c> was asked to do, validated; the defaults are the ones <c>--help</c> shows.</summary>
internal sealed record RunSettings
{
    /// <summary>Worker processes to start; 0 runs every job in-process through the same snapshot and commit path.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Host threads for in-process work: in-process job ranges (--workers 0, fallbacks) and parallel queries.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The module dll to run (<c>--module</c>), or null for the built-in particles module.</summary>
    public string? ModulePath { get; init; }

    /// <summary>The module's parameter assignments, each <c>NAME=VALUE</c> (<c>--param</c>), checked by the module.</summary>
    public IReadOnlyList<string> Parameters { get; init; } = [];

    /// <summary>
    /// Entities to seed (<c>ModuleContext.Entities</c>), or null for the module's <c>DefaultEntities</c>. A long: a
    /// count past any column's limit is refused naming the module's widest component, once the module is known.
    /// </summary>
    public long? Entities { get; init; }

    /// <summary>Frames to run; 0 runs until Ctrl-C or SIGTERM.</summary>
    public long Frames { get; init; } = 600;

    /// <summary>Simulated seconds per tick (per frame with one tick); the default 1/64 is exact in binary floating point.</summary>
    public double DtSeconds { get; init; } = 1.0 / 64.0;

    /// <summary>Physics ticks of <see cref="DtSeconds"/> each frame runs in one job per range: a frame advances TicksPerFrame × dt.</summary>
    public int TicksPerFrame { get; init; } = 1;

    /// <summary>Seed of the scenario's initial state; the same seed gives the same checksum.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Size of one shared-memory segment; larger snapshots span several segments.</summary>
    public long SegmentSizeBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Cap on all segments of the run together.</summary>
    public long MaxSharedMemoryBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>How long one job range may run before its worker is killed.</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra assemblies to load jobs from, in the host and in every worker.</summary>
    public IReadOnlyList<string> JobAssemblies { get; init; } = [];

    /// <summary>The least severe log event written.</summary>
    public LogEventLevel LogLevel { get; init; } = LogEventLevel.Information;

    /// <summary>Where to write the compact-JSON log, or null for none.</summary>
    public string? LogFile { get; init; }

    /// <summary>The folder under which the per-run directory is created; null picks /dev/shm (or the temp folder).</summary>
    public string? RunDirectoryRoot { get; init; }

    /// <summary>What happens to a range whose worker failed.</summary>
    public WorkerFailurePolicy OnWorkerFailure { get; init; } = WorkerFailurePolicy.Retry;

    /// <summary>Restarts allowed per worker slot within <see cref="RestartWindow"/> before the slot stays down.</summary>
    public int MaxRestarts { get; init; } = 5;

    /// <summary>The window over which <see cref="MaxRestarts"/> is counted.</summary>
    public TimeSpan RestartWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where offloaded components' columns live; shared (zero-copy) by default, snapshot on request.</summary>
    public StorageMode Storage { get; init; } = StorageMode.Shared;

    /// <summary>Frames between checkpoints (<c>--checkpoint-every</c>); 0 writes none.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Where checkpoints are written (<c>--checkpoint-dir</c>); defaults to <see cref="ResumeDirectory"/> when resuming.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>How many complete checkpoints are kept (<c>--checkpoints-kept</c>).</summary>
    public int CheckpointsKept { get; init; } = 3;

    /// <summary>The CPU priority checkpoints are written at (<c>--checkpoint-priority</c>).</summary>
    public CheckpointPriority CheckpointPriority { get; init; } = CheckpointPriority.Lowest;

    /// <summary>The checkpoint directory whose newest checkpoint the run continues from (<c>--resume</c>), or null.</summary>
    public string? ResumeDirectory { get; init; }
}
