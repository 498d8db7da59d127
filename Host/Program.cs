using SimHost.Host.Cli;

namespace SimHost.Host;

/// <summary>The simhost entry point.</summary>
public static class Program
{
    /// <summary>Runs the simhost command line; see <see cref="SimHostCommandLine"/>.</summary>
    public static Task<int> Main(string[] args) =>
        SimHostCommandLine.InvokeAsync(args, (settings, cancellationToken) => Task.FromResult(ExitCodes.Success), Console.Out, Console.Error);
}
