using System.Diagnostics;

namespace SimHost.Host.Workers;

/// <summary>Ending a worker process and describing how it ended (exit code, and the signal a code above 128 means).</summary>
internal static class ProcessExit
{
    /// <summary>" with code 139, signal 11 (SIGSEGV)" or " with code 3", for an exited process.</summary>
    public static string Describe(Process process)
    {
        var code = process.ExitCode;
        var signal = code > 128 && code < 160 ? code - 128 : 0;
        var name = signal switch
        {
            6 => " (SIGABRT)",
            9 => " (SIGKILL)",
            11 => " (SIGSEGV)",
            _ => string.Empty,
        };
        return signal != 0 ? $" with code {code}, signal {signal}{name}" : $" with code {code}";
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the process to exit and for its last output lines to be logged
    /// (<see cref="WorkerOutputPump.DrainedAsync"/>); never throws.
    /// </summary>
    public static async Task WaitAsync(Process process, TimeSpan timeout)
    {
        // One deadline for both waits (Timeout.InfiniteTimeSpan never fires); the pumps themselves never throw.
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            RuntimeIpcFiles.RemoveIfExited(process);
            await WorkerOutputPump.DrainedAsync(process).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or InvalidOperationException)
        {
            // Still running (the caller kills it), output still open past the deadline, or never started.
        }
    }

    /// <summary>
    /// Whether the process has exited other than by SIGKILL or one of the worker's own exit codes: on its own (an exit
    /// code of a job's <c>Environment.Exit</c>, FailFast's SIGABRT, a SIGSEGV). SIGKILL is how the host kills a worker,
    /// and how an operator, a chaos test or the OOM killer does; workers ignore the signals that stop a run (SIGINT,
    /// SIGTERM, SIGQUIT, SIGHUP); and the worker's own codes for a host gone (1), a broken protocol (4) or an unusable
    /// mailbox (5) blame the connection, not the job. False while it runs; never throws.
    /// </summary>
    public static bool EndedByItself(Process process)
    {
        try
        {
            return process.HasExited && process.ExitCode is not (128 + 9 or 1 or 4 or 5);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Kills the process and its children; a no-op once it has exited; never throws.</summary>
    public static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            return;
        }
        catch (Exception exception) when (IsAlreadyExited(exception))
        {
            return;
        }
        catch (Exception exception) when (exception is AggregateException or NullReferenceException)
        {
            // Listing the tree raced with a process of it ending: .NET 10.0.12 on Linux threw a NullReferenceException
            // from inside Process.KillTree once in a test run; other errors of the walk come as an AggregateException.
            // The walk stops each process (SIGSTOP) before it kills it, so the worker may be left stopped: kill it
            // alone, below. (A child stopped by a walk that failed after killing the worker stays stopped; workers
            // start no children of their own.)
        }

        try
        {
            process.Kill();
        }
        catch (Exception exception) when (IsAlreadyExited(exception))
        {
            // Already exited.
        }
    }

    /// <summary>Whether the process has exited; false for one never started or already disposed; never throws.</summary>
    public static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static bool IsAlreadyExited(Exception exception) =>
        exception is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException;

    /// <summary>Kills the process, then waits up to five seconds for the kernel to reap it.</summary>
    public static async Task KillAndWaitAsync(Process process)
    {
        Kill(process);
        await WaitAsync(process, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }
}
