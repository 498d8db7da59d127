using System.CommandLine;

namespace SimHost.Host.Cli;

/// <summary>
/// Writes a command's report (inspect, describe) to standard output. Output that cannot be written (a full disk, a
/// redirect to /dev/full, a closed pipe) is the environment's error, not the program's: one line, exit 1, as a run's
/// summary that cannot be written, never the runtime's stack trace.
/// </summary>
internal static class ReportOutput
{
    /// <summary>Writes <paramref name="text"/> and flushes it.</summary>
    /// <returns><paramref name="exitCode"/>, or <see cref="ExitCodes.RunFailed"/> when the output could not be written.</returns>
    public static async Task<int> WriteAsync(InvocationConfiguration configuration, string text, int exitCode, CancellationToken cancellationToken)
    {
        try
        {
            await configuration.Output.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            await configuration.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return exitCode;
        }
        catch (IOException exception)
        {
            await configuration.Error.WriteLineAsync(
                $"simhost: the report could not be written to standard output: {exception.Message} (free space where it goes, or redirect it elsewhere)").ConfigureAwait(false);
            return ExitCodes.RunFailed;
        }
    }
}
