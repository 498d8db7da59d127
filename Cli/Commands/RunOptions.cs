using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Serilog.Events;
using SimHost.Host.SharedStorage;

namespace SimHost.Host.Cli;

/// <summary>
/// The option factories of <c>simhost run</c>: each builds one flag with its help text, default and a parser whose
/// error names the flag and what it accepts.
/// </summary>
internal static class RunOptions
{
    private static readonly RunSettings s_defaults = new();

    /// <summary>A description followed by the default as a user types it.</summary>
    internal static string Default(string description, string defaultText) => $"{description} [default: {defaultText}]";

    internal static Option<int> WholeNumber(string name, string description, int defaultValue, int min, int max) => new(name)
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

    internal static Option<long?> Entities()
    {
        var (widest, max) = EntityLimit.ForParticleScenario();
        return new("--entities")
        {
            Description = string.Create(
                CultureInfo.InvariantCulture,
                $"Entities to seed [default: the module's]; particles: 0 to {max} (one {widest.Name} column of {widest.SizeBytes}-byte rows stays under 2 GiB; the world must also fit --max-shared-memory, checked at start)"),
            HelpName = "N",
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return null;
                }

                var text = SingleToken(result);
                // 0 is a world the module's systems grow (or an empty run); a module that needs entities says so itself.
                // A count too large for any column is still a number here: the module, not yet loaded, names its limit.
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < 0)
                {
                    result.AddError($"--entities accepts a whole number from 0 to {max} (for particles; a module's own limit is checked with it), not '{text}'.");
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
        Description = "Set a module parameter, e.g. --param field=128 (repeatable; 'simhost describe' lists them)",
        HelpName = "NAME=VALUE",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    internal static string LogLevelName(LogEventLevel level) => level.ToString().ToLowerInvariant();

    internal static Option<long> WholeNumber64(string name, string description, long defaultValue, long min) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = SingleToken(result);
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min)
            {
                result.AddError($"{name} accepts a whole number from {min} to {long.MaxValue}, not '{text}'.");
            }

            return value;
        },
    };

    internal static Option<double> PositiveSeconds(string name, string description, double defaultValue) => new(name)
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

    internal static Option<ulong> Seed() => new("--seed")
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

    internal static Option<long> Size(string name, string description, long defaultValue) => new(name)
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

    /// <summary>A duration flag above zero; <paramref name="range"/> bounds it further, named as the error says it.</summary>
    internal static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue, DurationRange? range = null) => new(name)
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
            if (!DurationText.TryParse(text, out var duration) || duration <= TimeSpan.Zero)
            {
                result.AddError($"{name} accepts {DurationText.AcceptedForms} above zero, not '{text}'.");
            }
            else if (range is { } bounds && (duration < bounds.Least || duration > bounds.Most))
            {
                result.AddError($"{name} accepts {bounds.Text}, not '{text}'.");
            }

            return duration;
        },
    };

    /// <summary>The least and most a duration flag accepts, and how its error says so.</summary>
    internal sealed record DurationRange(TimeSpan Least, TimeSpan Most, string Text);

    internal static Option<string[]> JobAssemblies()
    {
        var option = new Option<string[]>("--job-assembly")
        {
            Description = "An assembly of IJob types to load in the host and every worker (repeatable)",
            HelpName = "PATH",
            Arity = ArgumentArity.OneOrMore,
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

    internal static Option<LogEventLevel> LogLevel() => new("--log-level")
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

    internal static Option<WorkerFailurePolicy> FailurePolicy() => Choice(
        "--on-worker-failure",
        "What to do with the range of a failed worker: retry (on a fresh worker, then in-process), fallback (in-process at once), fail (end the run, exit 1)",
        s_defaults.OnWorkerFailure,
        ("retry", WorkerFailurePolicy.Retry),
        ("fallback", WorkerFailurePolicy.Fallback),
        ("fail", WorkerFailurePolicy.Fail));

    internal static Option<StorageMode> Storage() => Choice(
        "--storage",
        "Where offloaded components' columns live: snapshot (copied into segments every frame) or shared (in the segments themselves)",
        s_defaults.Storage,
        ("snapshot", StorageMode.Snapshot),
        ("shared", StorageMode.Shared));

    internal static Option<CheckpointPriority> CheckpointPriorityOption() => Choice(
        "--checkpoint-priority",
        "CPU priority of the checkpoint writer: lowest (gives way to the frames; a busy machine skips more of the checkpoints due) or normal (writes more of them, at the frame time's expense)",
        s_defaults.CheckpointPriority,
        ("lowest", CheckpointPriority.Lowest),
        ("normal", CheckpointPriority.Normal));

    /// <summary>
    /// An option that takes one of a few words, in any case (<c>--storage snapshot|shared</c>); any other word is one
    /// error naming the flag, the words it accepts and the word given.
    /// </summary>
    private static Option<T> Choice<T>(string name, string description, T defaultValue, params (string Word, T Value)[] choices)
        where T : struct, Enum
    {
        var words = choices.Select(static c => c.Word).ToArray();
        var accepted = words.Length == 1 ? words[0] : $"{string.Join(", ", words[..^1])} or {words[^1]}";
        var defaultWord = choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, defaultValue)).Word;
        return new Option<T>(name)
        {
            Description = Default(description, defaultWord),
            HelpName = string.Join('|', words),
            CustomParser = result =>
            {
                var text = SingleToken(result);
                foreach (var (word, value) in choices)
                {
                    if (string.Equals(word, text, StringComparison.OrdinalIgnoreCase))
                    {
                        return value;
                    }
                }

                result.AddError($"{name} accepts {accepted}, not '{text}'.");
                return defaultValue;
            },
        };
    }

    internal static string SingleToken(ArgumentResult result) => result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
}
