using SimHost.Host.Cli;
using SimHost.Host.Running;

namespace SimHost.Host;

/// <summary>The simhost entry point.</summary>
internal static class Program
{
    /// <summary>Runs the simhost command line; see <see cref="SimHostCommandLine"/>.</summary>
    public static async Task<int> Main(string[] args) =>
        await SimHostCommandLine.InvokeAsync(args, RunAsync, Console.Out, Console.Error);

    // Only a run turns Ctrl-C and SIGTERM into a graceful stop (its frame finishes, the summary is printed), decided
    // once the command line is parsed (a response file may name the command). Every other command keeps the signals'
    // default, so a stuck read (inspect of a FIFO, a hung network share) ends.
    private static async Task<int> RunAsync(RunSettings settings, CancellationToken cancellationToken)
    {
        using var stop = new StopSignal();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, cancellationToken);
        return await ScenarioRun.ExecuteAsync(settings, RunConsole.System, WorkerPoolStarter.StartAsync, either.Token, () => stop.Reason);
    }
}
