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
}
