using System.CommandLine;
using Serilog.Events;
using SimHost.Host.SharedStorage;
using SimHost.Host.Workers;

namespace SimHost.Host.Cli;

/// <summary>
/// The <c>simhost run</c> command: its flags, their defaults and validation. Every bad value becomes one parse
/// error that names the flag and what it accepts; <see cref="SimHostCommandLine"/> prints it and exits 2.
/// </summary>
internal sealed class RunCommand
{
    private static readonly RunSettings s_defaults = new();

    // 1ms (a worker is told its timeout in whole milliseconds, rounded down) up to the longest a .NET timer waits,
    // 4294967294ms, about 49.7 days.
    private static readonly RunOptions.DurationRange s_jobTimeoutRange = new(
        WorkerPoolOptions.MinJobTimeout, WorkerPoolOptions.MaxJobTimeout, "a duration from 1ms to 1193h (about 49 days, the longest a timer waits)");

    private readonly Option<int> _workers = RunOptions.WholeNumber("--workers", "Worker processes to start; 0 runs every job in-process", s_defaults.Workers, min: 0, max: 256);
    private readonly Option<int> _threads = RunOptions.WholeNumber("--threads", "Host threads for in-process work: job ranges run in-process (--workers 0, fallbacks) and parallel queries; one per processor unless given", s_defaults.Threads, min: 1, max: 1024);
    private readonly Option<string?> _module = RunOptions.ModuleOption();
    private readonly Option<string[]> _parameters = RunOptions.ParameterOption();
    private readonly Option<long?> _entities = RunOptions.Entities();
    private readonly Option<long> _frames = RunOptions.WholeNumber64("--frames", "Frames to run; 0 runs until Ctrl-C or SIGTERM", s_defaults.Frames, min: 0);
    private readonly Option<double> _dt = RunOptions.PositiveSeconds("--dt", "Simulated seconds per frame", s_defaults.DtSeconds);
    private readonly Option<int> _ticksPerFrame = RunOptions.WholeNumber("--ticks-per-frame", "Physics ticks of --dt per frame, run back to back by each worker; a frame advances N × dt", s_defaults.TicksPerFrame, min: 1, max: 1024);
    private readonly Option<ulong> _seed = RunOptions.Seed();
    private readonly Option<long> _segmentSize = RunOptions.Size("--segment-size", "Size of one shared-memory segment (KiB, MiB, GiB)", s_defaults.SegmentSizeBytes);
    private readonly Option<long> _maxSharedMemory = RunOptions.Size("--max-shared-memory", "Cap on all segments together (KiB, MiB, GiB)", s_defaults.MaxSharedMemoryBytes);
    private readonly Option<TimeSpan> _jobTimeout = RunOptions.Duration("--job-timeout", "How long one job range may run before its worker is killed (1ms to 1193h)", s_defaults.JobTimeout, s_jobTimeoutRange);
    private readonly Option<string[]> _jobAssemblies = RunOptions.JobAssemblies();
    private readonly Option<LogEventLevel> _logLevel = RunOptions.LogLevel();
    private readonly Option<string?> _logFile = new("--log-file") { Description = "Also write the log to this file as compact JSON", HelpName = "PATH" };
    private readonly Option<string?> _runDir = new("--run-dir") { Description = "Folder for the run's segment files [default: /dev/shm, else the temp folder]", HelpName = "PATH" };
    private readonly Option<WorkerFailurePolicy> _onWorkerFailure = RunOptions.FailurePolicy();
    private readonly Option<int> _maxRestarts = RunOptions.WholeNumber("--max-restarts", "Restarts of one worker slot allowed within --restart-window before it stays down", s_defaults.MaxRestarts, min: 0, max: 1_000_000);
    private readonly Option<TimeSpan> _restartWindow = RunOptions.Duration("--restart-window", "The window over which --max-restarts is counted", s_defaults.RestartWindow);
    private readonly Option<StorageMode> _storage = RunOptions.Storage();
    private readonly Option<int> _checkpointEvery = RunOptions.WholeNumber("--checkpoint-every", "Write a checkpoint of the whole world every N frames into --checkpoint-dir (0: none)", 0, min: 0, max: int.MaxValue);
    private readonly Option<string?> _checkpointDir = new("--checkpoint-dir") { Description = "Folder for the checkpoints [default: the --resume folder]", HelpName = "DIR" };
    private readonly Option<int> _checkpointsKept = RunOptions.WholeNumber("--checkpoints-kept", "Complete checkpoints kept; older ones are removed once a newer one is whole", s_defaults.CheckpointsKept, min: 1, max: 1000);
    private readonly Option<CheckpointPriority> _checkpointPriority = RunOptions.CheckpointPriorityOption();
    private readonly Option<string?> _resume = new("--resume") { Description = "Continue from the newest complete checkpoint in this folder; give the same module, seed and flags as the run that wrote it", HelpName = "DIR" };

    /// <summary>Builds the command; <paramref name="run"/> is invoked with the validated settings.</summary>
    public RunCommand(Func<RunSettings, CancellationToken, Task<int>> run)
    {
        Command = new Command("run", "Run a module (--module PATH, else the built-in particles in a box) and print a summary with its checksum.")
        {
            _module, _parameters, _workers, _threads, _entities, _frames, _dt, _ticksPerFrame, _seed, _segmentSize, _maxSharedMemory, _jobTimeout, _jobAssemblies,
            _logLevel, _logFile, _runDir, _onWorkerFailure, _maxRestarts, _restartWindow, _storage,
            _checkpointEvery, _checkpointDir, _checkpointsKept, _checkpointPriority, _resume,
        };
        Command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = ToSettings(parseResult);
            var problem = FindProblem(settings) ?? CheckpointFlagWithoutInterval(parseResult, settings);
            if (problem is not null)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"simhost: {problem} (see 'simhost run --help')").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }

            return await run(settings, cancellationToken).ConfigureAwait(false);
        });
    }

    /// <summary>The System.CommandLine command to add to the root command.</summary>
    public Command Command { get; }

    /// <summary>Reads the validated settings out of a successful parse.</summary>
    public RunSettings ToSettings(ParseResult parseResult) => new()
    {
        ModulePath = parseResult.GetValue(_module),
        Parameters = parseResult.GetValue(_parameters) ?? [],
        Workers = parseResult.GetValue(_workers),
        Threads = parseResult.GetValue(_threads),
        Entities = parseResult.GetValue(_entities),
        Frames = parseResult.GetValue(_frames),
        DtSeconds = parseResult.GetValue(_dt),
        TicksPerFrame = parseResult.GetValue(_ticksPerFrame),
        Seed = parseResult.GetValue(_seed),
        SegmentSizeBytes = ValueOrDefault(parseResult, _segmentSize, s_defaults.SegmentSizeBytes),
        MaxSharedMemoryBytes = ValueOrDefault(parseResult, _maxSharedMemory, s_defaults.MaxSharedMemoryBytes),
        JobTimeout = ValueOrDefault(parseResult, _jobTimeout, s_defaults.JobTimeout),
        JobAssemblies = parseResult.GetValue(_jobAssemblies) ?? [],
        LogLevel = ValueOrDefault(parseResult, _logLevel, s_defaults.LogLevel),
        LogFile = parseResult.GetValue(_logFile),
        RunDirectoryRoot = parseResult.GetValue(_runDir),
        OnWorkerFailure = ValueOrDefault(parseResult, _onWorkerFailure, s_defaults.OnWorkerFailure),
        MaxRestarts = parseResult.GetValue(_maxRestarts),
        RestartWindow = ValueOrDefault(parseResult, _restartWindow, s_defaults.RestartWindow),
        Storage = ValueOrDefault(parseResult, _storage, s_defaults.Storage),
        CheckpointEvery = parseResult.GetValue(_checkpointEvery),
        CheckpointDirectory = parseResult.GetValue(_checkpointDir) ?? parseResult.GetValue(_resume),
        CheckpointsKept = parseResult.GetValue(_checkpointsKept),
        CheckpointPriority = ValueOrDefault(parseResult, _checkpointPriority, s_defaults.CheckpointPriority),
        ResumeDirectory = parseResult.GetValue(_resume),
    };

    /// <summary>
    /// A flag that only shapes checkpoints (where, how many, at what priority) given to a run that writes none: the
    /// service it configures would believe itself durable and is not, so it is refused rather than ignored.
    /// </summary>
    private string? CheckpointFlagWithoutInterval(ParseResult parseResult, RunSettings settings)
    {
        if (settings.CheckpointEvery > 0)
        {
            return null;
        }

        Option[] shaping = [_checkpointDir, _checkpointsKept, _checkpointPriority];
        return shaping.FirstOrDefault(option => parseResult.GetResult(option) is { Implicit: false }) is { } given
            ? $"{given.Name} is given but no checkpoint is written without --checkpoint-every N; add it (e.g. --checkpoint-every 600), or drop {given.Name}."
            : null;
    }

    // These options have no default value factory, so that --help shows their defaults as a user types them
    // ("[default: 64MiB]" in the description) rather than as the parsed value's ToString ("67108864", "Shared").
    private static T ValueOrDefault<T>(ParseResult parseResult, Option<T> option, T defaultValue) =>
        parseResult.GetResult(option) is { Implicit: false } ? parseResult.GetValue(option)! : defaultValue;

    /// <summary>Checks the rules that tie several flags together; returns the one-line problem, or null.</summary>
    public static string? FindProblem(RunSettings settings)
    {
        if (settings.SegmentSizeBytes > settings.MaxSharedMemoryBytes)
        {
            return $"--segment-size ({ByteSize.Format(settings.SegmentSizeBytes)}) is larger than --max-shared-memory ({ByteSize.Format(settings.MaxSharedMemoryBytes)}); lower the first or raise the second.";
        }

        // The particles' bound is known before the run; a --module's is checked once it is loaded (ModuleSelection).
        if (settings.ModulePath is null && settings.Entities is { } entities && EntityLimit.Problem(entities) is { } tooMany)
        {
            return tooMany;
        }

        if (settings.ModulePath is not null && string.IsNullOrWhiteSpace(settings.ModulePath))
        {
            return "--module needs the path of a module .dll, e.g. --module bin/Release/net10.0/Grazers.dll.";
        }

        if (settings.CheckpointEvery > 0 && string.IsNullOrWhiteSpace(settings.CheckpointDirectory))
        {
            return "--checkpoint-every needs --checkpoint-dir DIR (or --resume DIR) to say where the checkpoints go.";
        }

        if (settings.ResumeDirectory is { } resume && !Directory.Exists(resume))
        {
            return $"--resume '{resume}' is not a directory; give the --checkpoint-dir of the run to continue.";
        }

        if (settings.LogFile is not null && string.IsNullOrWhiteSpace(settings.LogFile))
        {
            return "--log-file needs a file path, e.g. --log-file simhost.log.";
        }

        return null;
    }
}
