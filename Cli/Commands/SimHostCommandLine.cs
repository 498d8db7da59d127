using System.CommandLine;
using System.CommandLine.Parsing;

namespace SimHost.Host.Cli;

/// <summary>
/// The <c>simhost</c> root command. Parse errors are user errors: one line on stderr that names the flag and what
/// it accepts, exit code 2, never a stack trace.
/// </summary>
internal static class SimHostCommandLine
{
    /// <summary>Parses <paramref name="args"/> and runs the chosen command.</summary>
    /// <param name="args">The process arguments.</param>
    /// <param name="run">What <c>simhost run</c> does with its validated settings.</param>
    /// <param name="output">Where help and normal output go.</param>
    /// <param name="error">Where the one-line usage errors go.</param>
    /// <param name="cancellationToken">Cancelled on Ctrl-C.</param>
    public static async Task<int> InvokeAsync(
        string[] args,
        Func<RunSettings, CancellationToken, Task<int>> run,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken = default)
    {
        var runCommand = new RunCommand(run);
        var root = new RootCommand("simhost: an ECS world in one process, its heavy jobs in crash-isolated worker processes.")
        {
            runCommand.Command,
            new DescribeCommand().Command,
            new InspectCommand().Command,
        };

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // "Unrecognized command or argument 'x'" says what is wrong; "Required command was not provided" only that
            // something is.
            var telling = parseResult.Errors.FirstOrDefault(static e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parseResult.Errors[0];
            var first = RepeatedFlag(parseResult.CommandResult) ?? telling.Message.ReplaceLineEndings(" ");
            var command = parseResult.CommandResult.Command == root ? "simhost" : $"simhost {parseResult.CommandResult.Command.Name}";
            await error.WriteLineAsync($"simhost: {first} (see '{command} --help')").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        if (parseResult.CommandResult.Command == root && parseResult.Action is null)
        {
            await output.WriteLineAsync("simhost: give a command, e.g. 'simhost run --workers 2'; see 'simhost --help'.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,

            // Program's StopSignal owns Ctrl-C and SIGTERM and cancels the token it passes in: the run finishes its
            // frame, shuts workers down and prints the summary, and no System.CommandLine timeout may cut that short.
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A single-value flag given more than once (<c>--workers 1 --workers 2</c>) said as such, with the values given:
    /// System.CommandLine says only that the option "expects a single argument but 2 were provided".
    /// </summary>
    private static string? RepeatedFlag(CommandResult command)
    {
        foreach (var child in command.Children)
        {
            if (child is OptionResult { Option.Arity.MaximumNumberOfValues: 1 } option && option.Tokens.Count > 1)
            {
                var values = string.Join(", ", option.Tokens.Select(static t => t.Value));
                return $"{option.Option.Name} is given {option.Tokens.Count} times ({values}): give it once";
            }
        }

        return null;
    }
}
