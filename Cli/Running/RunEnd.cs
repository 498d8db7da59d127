namespace SimHost.Host.Running;

/// <summary>
/// How a run's frames ended: its exit code, its summary and, when it failed, its one <c>simhost:</c> line. Printed
/// only once the workers are stopped, so the summary and its checksum are the last lines a terminal shows, after the
/// workers' and the pool's shutdown lines.
/// </summary>
/// <param name="ExitCode">0 done, 1 the run failed.</param>
/// <param name="Summary">The summary for stdout.</param>
/// <param name="Failure">The failure line for stderr (after <c>simhost: </c>), or null.</param>
internal sealed record RunEnd(int ExitCode, RunSummary Summary, string? Failure)
{
    /// <summary>Prints the summary, then the failure line if any.</summary>
    public async Task WriteToAsync(RunConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        Summary.WriteTo(console.Output);
        if (Failure is { } failure)
        {
            await console.Error.WriteLineAsync($"simhost: {failure}");
        }
    }
}
