using System.Runtime.InteropServices;
using SimHost.Layout.Protocol;

namespace SimHost.Worker;

/// <summary>
/// The simhost-worker entry point. Started by the host, never by hand: the arguments name the pipe, and the auth
/// token arrives as one hex line on standard input so it never shows in a process listing.
/// </summary>
public static class Program
{
    /// <summary>Runs one worker until the host says Shutdown or goes away.</summary>
    /// <param name="args"><c>--pipe NAME --worker-id N --parent-pid PID [--job-assembly PATH]...</c></param>
    /// <returns>An exit code from <see cref="WorkerExitCodes"/>.</returns>
    public static int Main(string[] args)
    {
        // Ctrl-C in a terminal signals the whole process group, and a service manager's stop (systemd's control group,
        // kill -TERM -pgid) SIGTERMs every process of it, workers included; a worker is the host's to stop (Shutdown,
        // its pipe closing, or its parent dying), so it ignores SIGINT, SIGQUIT and SIGTERM (SIGKILL still ends it), and
        // the SIGHUP a closing terminal sends its foreground process group. Held for the life of the process: disposing
        // a registration restores the default, which ends the process.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, IgnoreSignal);
        using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, IgnoreSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, IgnoreSignal);
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, IgnoreSignal);

        OutOfMemoryOrder.PreferThisWorker();
        if (!WorkerArguments.TryParse(args, out var arguments, out var error))
        {
            Console.Error.WriteLine($"simhost-worker: {error} (this program is started by simhost, not by hand)");
            return WorkerExitCodes.BadArguments;
        }

        var tokenLine = Console.In.ReadLine();
        if (tokenLine is null || !AuthToken.TryParseHex(tokenLine.AsSpan().Trim(), out var token))
        {
            Console.Error.WriteLine("simhost-worker: expected the auth token as one hex line on standard input.");
            return WorkerExitCodes.BadArguments;
        }

        return WorkerSession.RunAsync(arguments, token).GetAwaiter().GetResult();
    }

    private static void IgnoreSignal(PosixSignalContext context) => context.Cancel = true;
}
