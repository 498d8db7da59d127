using System.CommandLine;
using SimHost.Host.Inspecting;
using SimHost.Host.Running;

namespace SimHost.Host.Cli;

/// <summary>
/// The <c>simhost inspect PATH [--json]</c> command: shows a checkpoint's manifest, archetypes and component layouts,
/// or a segment file's header and columns, and verifies every hash and header rule (<see cref="Inspector"/>).
/// Exit 0 when everything holds, 1 when a rule is broken (each named with its file), 2 for a path that is not there.
/// </summary>
internal sealed class InspectCommand
{
    private readonly Argument<string> _path = new("PATH") { Description = "A checkpoint directory, a folder of checkpoints (--checkpoint-dir), a segment file or a run directory" };
    private readonly Option<bool> _json = new("--json") { Description = "Print the report as JSON, for tools" };

    /// <summary>Builds the command.</summary>
    public InspectCommand()
    {
        Command = new Command("inspect", "Show and verify a checkpoint, a segment file or a run directory: manifest, archetypes, component layouts, every hash and header rule.")
        {
            _path, _json,
        };
        Command.SetAction(async (parseResult, cancellationToken) =>
        {
            var configuration = parseResult.InvocationConfiguration;
            try
            {
                var report = Inspector.Inspect(parseResult.GetValue(_path)!);
                var text = parseResult.GetValue(_json) ? InspectionWriter.Json(report) : InspectionWriter.Text(report);
                return await ReportOutput.WriteAsync(configuration, text, report.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.RunFailed, cancellationToken).ConfigureAwait(false);
            }
            catch (UsageException exception)
            {
                // With --json a tool gets a document too (ok false, the error), besides the usual line on stderr.
                if (parseResult.GetValue(_json))
                {
                    _ = await ReportOutput.WriteAsync(configuration, InspectionWriter.JsonError(parseResult.GetValue(_path)!, exception.Message), ExitCodes.UsageError, cancellationToken).ConfigureAwait(false);
                }

                await configuration.Error.WriteLineAsync($"simhost: {exception.Message}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
        });
    }

    /// <summary>The System.CommandLine command to add to the root command.</summary>
    public Command Command { get; }
}
