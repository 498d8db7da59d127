using System.CommandLine;
using SimHost.Host.Modules;
using SimHost.Host.Running;

namespace SimHost.Host.Cli;

/// <summary>
/// The <c>simhost describe</c> command: prints a module's parameters, components with their layouts, systems by
/// stage and level, and where each job runs (<see cref="ModuleDescription"/>). A bad module or parameter is one line, exit 2.
/// </summary>
internal sealed class DescribeCommand
{
    private readonly Option<string?> _module = RunOptions.ModuleOption();
    private readonly Option<string[]> _parameters = RunOptions.ParameterOption();

    /// <summary>Builds the command.</summary>
    public DescribeCommand()
    {
        Command = new Command("describe", "Describe a module (--module PATH, else the built-in particles): parameters, components and their layouts, systems by stage and level, jobs.")
        {
            _module, _parameters,
        };
        Command.SetAction(async (parseResult, cancellationToken) =>
        {
            var configuration = parseResult.InvocationConfiguration;
            SimulationModule? module = null;
            try
            {
                module = ModuleSelection.Load(parseResult.GetValue(_module));
                var context = ModuleSelection.Context(module, seed: 1, entities: null, parseResult.GetValue(_parameters) ?? [], ticksPerFrame: 1);
                return await ReportOutput.WriteAsync(configuration, ModuleDescription.Describe(module, context), ExitCodes.Success, cancellationToken).ConfigureAwait(false);
            }
            catch (UsageException exception)
            {
                await configuration.Error.WriteLineAsync($"simhost: {exception.Message}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
            catch (Exception exception) when (ModuleSystemsCheck.IsBuildError(exception))
            {
                // The module's systems cannot be built: the same line and exit code as run gives it.
                await configuration.Error.WriteLineAsync($"simhost: {ModuleSystemsCheck.CannotBeBuilt(module!, exception).Message}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
            catch (Exception exception) when (module is not null && exception is not OperationCanceledException)
            {
                // The module's own code (its Seed, its systems' setup) threw: one line naming where, never a stack trace.
                await configuration.Error.WriteLineAsync(
                    $"simhost: describing module {module.Name} failed: {ScenarioRun.OneLine(exception.Message)}{UserCodeThrower.Describe(exception, parseResult.GetValue(_module) is null ? null : module)}").ConfigureAwait(false);
                return ExitCodes.RunFailed;
            }
        });
    }

    /// <summary>The System.CommandLine command to add to the root command.</summary>
    public Command Command { get; }
}
