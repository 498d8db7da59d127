using SimHost.Host.Cli;
using SimHost.Host.Running;

namespace SimHost.Host;

/// <summary>The simhost entry point.</summary>
internal static class Program
{
    /// <summary>Runs the simhost command line; see <see cref="SimHostCommandLine"/>.</summary>
    public static async Task<int> Main(string[] args)
    {
        // Only a run turns Ctrl-C and SIGTERM into a graceful stop (its frame finishes, the summary is printed). Every
        // other command keeps the signals' default, so a stuck read (inspect of a FIFO, a hung network share) ends.
        using var stop = args is ["run", ..] ? new StopSignal() : null;
        return await SimHostCommandLine.InvokeAsync(
            args,
            (settings, cancellationToken) => ScenarioRun.ExecuteAsync(settings, RunConsole.System, WorkerPoolStarter.StartAsync, cancellationToken, () => stop?.Reason),
            Console.Out,
            Console.Error,
            stop?.Token ?? CancellationToken.None);
    }
}
