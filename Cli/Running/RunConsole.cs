namespace SimHost.Host.Running;

/// <summary>Where a run writes: the summary on <see cref="Output"/>, progress and errors on <see cref="Error"/>.</summary>
/// <param name="Output">Standard output: the summary only, so scripts can read the checksum.</param>
/// <param name="Error">Standard error: the live progress line, log lines and one-line errors.</param>
/// <param name="IsTerminal">Whether <see cref="Error"/> is an interactive terminal (live line) or not (periodic log lines).</param>
internal sealed record RunConsole(TextWriter Output, TextWriter Error, bool IsTerminal)
{
    /// <summary>The process's own console; writes to a terminal that is gone are dropped (<see cref="HangUpTolerantWriter"/>).</summary>
    public static RunConsole System { get; } = new(
        new HangUpTolerantWriter(Console.Out, isTerminal: !Console.IsOutputRedirected),
        new HangUpTolerantWriter(Console.Error, isTerminal: !Console.IsErrorRedirected),
        !Console.IsErrorRedirected);
}
