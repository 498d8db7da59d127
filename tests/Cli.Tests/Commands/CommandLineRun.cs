using SimHost.Host.Cli;

namespace SimHost.Tests.Host.Cli;

/// <summary>Invokes the command line with a run that only records the settings it was given, capturing its output.</summary>
internal static class CommandLineRun
{
    public static async Task<(int ExitCode, RunSettings? Settings, string Output, string Error)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        var (exitCode, seen, error) = await InvokeAsync(output, args);
        return (exitCode, seen, output.ToString(), error);
    }

    /// <summary>Invokes the command line with standard output going to <paramref name="output"/>.</summary>
    public static async Task<(int ExitCode, RunSettings? Settings, string Error)> InvokeAsync(TextWriter output, params string[] args)
    {
        RunSettings? seen = null;
        using var error = new StringWriter();
        var exitCode = await SimHostCommandLine.InvokeAsync(
            args,
            (settings, _) =>
            {
                seen = settings;
                return Task.FromResult(ExitCodes.Success);
            },
            output,
            error);
        return (exitCode, seen, error.ToString());
    }
}
