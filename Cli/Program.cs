using SimHost.Host.Cli;
using SimHost.Host.Running;

namespace SimHost.Host;

/// <summary>The simhost entry point.</summary>
internal static class Program
{
    /// <summary>Runs the simhost command line; see <see cref="SimHostCommandLine"/>.</summary>
    public static async Task<int> Main(string[] args)
    {
        using var stop = new StopSignal();
        return await SimHostCommandLine.InvokeAsync(
            args,
            (settings, cancellationToken) => ScenarioRun.ExecuteAsync(settings, RunConsole.System, WorkerPoolStarter.StartAsync, cancellationToken, () => stop.Reason),
            Console.Out,
            Console.Error,
            stop.Token);
    }
}
