using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Serilog.Events;
using SimHost.Host.SharedStorage;

namespace SimHost.Host.Cli;

/// <summary>
/// The <c>simhost run</c> command: its flags, their defaults and validation. Every bad value becomes one parse
/// error that names the flag and what it accepts; <see cref="SimHostCommandLine"/> prints it and exits 2.
/// </summary>
internal sealed class RunCommand
{
    private static readonly RunSettings s_defaults = new();

    private readonly Option<int> _workers = WholeNumber("--workers", "Worker processes to start; 0 runs every job in-process", s_defaults.Workers, min: 0, max: 256);
    private readonly Option<int> _threads = WholeNumber("--threads", "Host threads for in-process work: job ranges run in-process (--workers 0, fallbacks) and parallel queries [default: one per processor]", s_defaults.Threads, min: 1, max: 1024);
    private readonly Option<string?> _module = ModuleOption();
    private readonly Option<string[]> _parameters = ParameterOption();
    private readonly Option<int?> _entities = Entities();
    private readonly Option<long> _frames = WholeNumber64("--frames", "Frames to run; 0 runs until Ctrl-C or SIGTERM", s_defaults.Frames, min: 0);
    private readonly Option<double> _dt = PositiveSeconds("--dt", "Simulated seconds per frame", s_defaults.DtSeconds);
    private readonly Option<int> _ticksPerFrame = WholeNumber("--ticks-per-frame", "Physics ticks of --dt per frame, run back to back by each worker; a frame advances N × dt", s_defaults.TicksPerFrame, min: 1, max: 1024);
    private readonly Option<ulong> _seed = Seed();
    private readonly Option<long> _segmentSize = Size("--segment-size", "Size of one shared-memory segment (KiB, MiB, GiB)", s_defaults.SegmentSizeBytes);
    private readonly Option<long> _maxSharedMemory = Size("--max-shared-memory", "Cap on all segments together (KiB, MiB, GiB)", s_defaults.MaxSharedMemoryBytes);
    private readonly Option<TimeSpan> _jobTimeout = Duration("--job-timeout", "How long one job range may run before its worker is killed", s_defaults.JobTimeout);
    private readonly Option<string[]> _jobAssemblies = JobAssemblies();
    private readonly Option<LogEventLevel> _logLevel = LogLevel();
    private readonly Option<string?> _logFile = new("--log-file") { Description = "Also write the log to this file as compact JSON", HelpName = "PATH" };
    private readonly Option<string?> _runDir = new("--run-dir") { Description = "Folder for the run's segment files [default: /dev/shm, else the temp folder]", HelpName = "PATH" };
    private readonly Option<WorkerFailurePolicy> _onWorkerFailure = FailurePolicy();
    private readonly Option<int> _maxRestarts = WholeNumber("--max-restarts", "Restarts of one worker slot allowed within --restart-window before it stays down", s_defaults.MaxRestarts, min: 0, max: 1_000_000);
    private readonly Option<TimeSpan> _restartWindow = Duration("--restart-window", "The window over which --max-restarts is counted", s_defaults.RestartWindow, allowZero: false);
    private readonly Option<StorageMode> _storage = Storage();

    /// <summary>Builds the command; <paramref name="run"/> is invoked with the validated settings.</summary>
    public RunCommand(Func<RunSettings, CancellationToken, Task<int>> run)
    {
        Command = new Command("run", "Run a module (--module PATH, else the built-in particles in a box) and print a summary with its checksum.")
        {
            _module, _parameters, _workers, _threads, _entities, _frames, _dt, _ticksPerFrame, _seed, _segmentSize, _maxSharedMemory, _jobTimeout, _jobAssemblies,
            _logLevel, _logFile, _runDir, _onWorkerFailure, _maxRestarts, _restartWindow, _storage,
        };
        Command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = ToSettings(parseResult);
            var problem = FindProblem(settings);
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
    };

    // These options have no default value factory, so that --help shows their defaults as a user types them
    // ("[default: 64MiB]" in the description) rather than as the parsed value's ToString ("67108864", "Shared").
    private static T ValueOrDefault<T>(ParseResult parseResult, Option<T> option, T defaultValue) =>
        parseResult.GetResult(option) is { Implicit: false } ? parseResult.GetValue(option)! : defaultValue;

    private static string Default(string description, string defaultText) => $"{description} [default: {defaultText}]";

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

        if (settings.LogFile is not null && string.IsNullOrWhiteSpace(settings.LogFile))
        {
            return "--log-file needs a file path, e.g. --log-file simhost.log.";
        }

        return null;
    }

    private static Option<int> WholeNumber(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = SingleToken(result);
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                result.AddError($"{name} accepts a whole number from {min} to {max}, not '{text}'.");
            }

            return value;
        },
    };

    private static Option<int?> Entities()
    {
        var (widest, max) = EntityLimit.ForParticleScenario();
        return new("--entities")
        {
            Description = string.Create(
                CultureInfo.InvariantCulture,
                $"Entities to seed [default: the module's]; particles: 1 to {max} (one {widest.Name} column of {widest.SizeBytes}-byte rows stays under 2 GiB; the world must also fit --max-shared-memory, checked at start)"),
            HelpName = "N",
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return null;
                }

                var text = SingleToken(result);
                if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < 1)
                {
                    result.AddError(long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var large) && large > int.MaxValue
                        ? EntityLimit.Problem(large) ?? $"--entities accepts a whole number from 1 to {int.MaxValue}, not '{text}'."
                        : $"--entities accepts a whole number from 1 to {max}, not '{text}'.");
                    return null;
                }

                return value;
            },
        };
    }

    /// <summary><c>--module PATH</c>: the module dll to run; shared with <c>simhost describe</c>.</summary>
    public static Option<string?> ModuleOption() => new("--module")
    {
        Description = "A module dll (a SimulationModule in its build output folder) to run instead of the built-in particles",
        HelpName = "PATH",
    };

    /// <summary><c>--param NAME=VALUE</c>, repeatable: the module's parameters, checked by the module; shared with <c>simhost describe</c>.</summary>
    public static Option<string[]> ParameterOption() => new("--param")
    {
        Description = "Set a module parameter, e.g. --param herd=50000 (repeatable; 'simhost describe' lists them)",
        HelpName = "NAME=VALUE",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    private static string LogLevelName(LogEventLevel level) => level.ToString().ToLowerInvariant();

    private static Option<long> WholeNumber64(string name, string description, long defaultValue, long min) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = SingleToken(result);
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min)
            {
                result.AddError($"{name} accepts a whole number of at least {min}, not '{text}'.");
            }

            return value;
        },
    };

    private static Option<double> PositiveSeconds(string name, string description, double defaultValue) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = SingleToken(result);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0 || value > 3600)
            {
                result.AddError($"{name} accepts a number of seconds above 0 and at most 3600 (e.g. 0.016), not '{text}'.");
            }

            return value;
        },
    };

    private static Option<ulong> Seed() => new("--seed")
    {
        Description = "Seed of the initial state; the same seed and flags give the same checksum",
        HelpName = "N",
        DefaultValueFactory = _ => s_defaults.Seed,
        CustomParser = result =>
        {
            var text = SingleToken(result);
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"--seed accepts a whole number from 0 to {ulong.MaxValue}, not '{text}'.");
            }

            return value;
        },
    };

    private static Option<long> Size(string name, string description, long defaultValue) => new(name)
    {
        Description = Default(description, ByteSize.Format(defaultValue)),
        HelpName = "SIZE",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return defaultValue;
            }

            var text = SingleToken(result);
            if (!ByteSize.TryParse(text, out var bytes) || bytes <= 0)
            {
                result.AddError($"{name} accepts {ByteSize.AcceptedForms} above zero, not '{text}'.");
            }

            return bytes;
        },
    };

    private static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue, bool allowZero = false) => new(name)
    {
        Description = Default(description, DurationText.Format(defaultValue)),
        HelpName = "DURATION",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return defaultValue;
            }

            var text = SingleToken(result);
            if (!DurationText.TryParse(text, out var duration) || (!allowZero && duration <= TimeSpan.Zero))
            {
                result.AddError($"{name} accepts {DurationText.AcceptedForms}{(allowZero ? string.Empty : " above zero")}, not '{text}'.");
            }

            return duration;
        },
    };

    private static Option<string[]> JobAssemblies()
    {
        var option = new Option<string[]>("--job-assembly")
        {
            Description = "An assembly of IJob types to load in the host and every worker (repeatable)",
            HelpName = "PATH",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
        };
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                var path = token.Value;
                if (!File.Exists(path))
                {
                    result.AddError($"--job-assembly '{path}' does not exist; give the path of a built .dll that holds IJob types.");
                    return;
                }

                try
                {
                    using var stream = File.OpenRead(path);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    result.AddError($"--job-assembly '{path}' cannot be read ({exception.Message}); check its permissions.");
                    return;
                }
            }
        });
        return option;
    }

    private static Option<LogEventLevel> LogLevel() => new("--log-level")
    {
        Description = Default("Least severe log event written: verbose, debug, information, warning, error, fatal", s_defaults.LogLevel.ToString().ToLowerInvariant()),
        HelpName = "LEVEL",
        CustomParser = result =>
        {
            var text = SingleToken(result);
            switch (text.ToUpperInvariant())
            {
                case "VERBOSE" or "TRACE":
                    return LogEventLevel.Verbose;
                case "DEBUG":
                    return LogEventLevel.Debug;
                case "INFORMATION" or "INFO":
                    return LogEventLevel.Information;
                case "WARNING" or "WARN":
                    return LogEventLevel.Warning;
                case "ERROR":
                    return LogEventLevel.Error;
                case "FATAL":
                    return LogEventLevel.Fatal;
                default:
                    result.AddError($"--log-level accepts verbose, debug, information, warning, error or fatal, not '{text}'.");
                    return LogEventLevel.Information;
            }
        },
    };

    private static Option<WorkerFailurePolicy> FailurePolicy() => new("--on-worker-failure")
    {
        Description = Default(
            "What to do with the range of a failed worker: retry (on a fresh worker, then in-process), fallback (in-process at once), fail (end the run, exit 1)",
            s_defaults.OnWorkerFailure.ToString().ToLowerInvariant()),
        HelpName = "retry|fallback|fail",
        CustomParser = result =>
        {
            var text = SingleToken(result);
            switch (text.ToUpperInvariant())
            {
                case "RETRY":
                    return WorkerFailurePolicy.Retry;
                case "FALLBACK":
                    return WorkerFailurePolicy.Fallback;
                case "FAIL":
                    return WorkerFailurePolicy.Fail;
                default:
                    result.AddError($"--on-worker-failure accepts retry, fallback or fail, not '{text}'.");
                    return WorkerFailurePolicy.Retry;
            }
        },
    };

    private static Option<StorageMode> Storage() => new("--storage")
    {
        Description = Default(
            "Where offloaded components' columns live: snapshot (copied into segments every frame) or shared (in the segments themselves)",
            s_defaults.Storage.ToString().ToLowerInvariant()),
        HelpName = "snapshot|shared",
        CustomParser = result =>
        {
            var text = SingleToken(result);
            switch (text.ToUpperInvariant())
            {
                case "SNAPSHOT":
                    return StorageMode.Snapshot;
                case "SHARED":
                    return StorageMode.Shared;
                default:
                    result.AddError($"--storage accepts snapshot or shared, not '{text}'.");
                    return StorageMode.Snapshot;
            }
        },
    };

    private static string SingleToken(ArgumentResult result) => result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
}
