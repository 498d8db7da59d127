using System.Diagnostics;

namespace SimHost.Host.Workers;

/// <summary>One worker process and its connection, replaced together.</summary>
internal sealed record WorkerInstance(Process Process, WorkerConnection Connection)
{
    /// <summary>How the process ended (" with code 139, signal 11 (SIGSEGV)"), once the supervisor reaped it.</summary>
    public TaskCompletionSource<string> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// How the process ended, waiting up to a second: a crashed worker's pipe closes a moment before the kernel reaps
    /// it, and the exit code makes the log line useful. Empty when the supervisor has not reaped it by then.
    /// </summary>
    public async Task<string> DescribeExitAsync()
    {
        try
        {
            return "; it exited" + await Exit.Task.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return string.Empty;
        }
    }
}
