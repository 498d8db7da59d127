using System.Runtime.InteropServices;
using SimHost.Host.Workers;

namespace SimHost.Host.Running;

/// <summary>
/// Turns Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal closed, an ssh session dropped) into a cancellation the run
/// honours: the current frame finishes, workers are shut down, the run directory is removed and the summary is printed,
/// naming the signal. A second Ctrl-C or SIGTERM ends the process at once (a second SIGHUP does not: hang-ups come in
/// pairs), and so does the first signal while the run is set up (<see cref="EndAtOnceWhile"/>): workers starting, a
/// large world seeded or loaded, and nothing run yet. The workers ignore the signals a terminal or a service manager
/// sends the whole process group; the host stops them.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private readonly PosixSignalRegistration _hangUp;
    private static int s_setUps;
    private string? _reason;
    private int _signalCount;

    /// <summary>Starts listening for SIGINT, SIGTERM and SIGHUP.</summary>
    public StopSignal()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
    }

    /// <summary>Raised on the signal thread when a second signal is about to end the process at once.</summary>
    public static event Action? Forced;

    /// <summary>Cancelled when the user asks the run to stop.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>What asked the run to stop, as the summary names it (<c>Ctrl-C (SIGINT)</c>, <c>SIGTERM</c>), or null.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    /// <summary>
    /// Until the returned scope is disposed, the first signal ends simhost at once, as a second one does: the world is
    /// being seeded or loaded, which no frame's end interrupts, and no frame has run, so there is nothing to finish.
    /// </summary>
    public static IDisposable EndAtOnceWhile() => new SetUpScope();

    /// <summary>Stops listening; signals get their default behaviour again.</summary>
    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _hangUp.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Counted at once: each signal's handler may run on its own thread, and two signals close together must not
        // both take the first signal's path (the cancellation below comes only after the message).
        var isFirst = Interlocked.Increment(ref _signalCount) == 1;
        var isSettingUp = Volatile.Read(ref s_setUps) > 0;
        var reason = context.Signal switch
        {
            PosixSignal.SIGINT => "Ctrl-C (SIGINT)",
            PosixSignal.SIGHUP => "SIGHUP (terminal closed)",
            _ => context.Signal.ToString(),
        };
        if (!isFirst && !isSettingUp && context.Signal == PosixSignal.SIGHUP)
        {
            // A hang-up often comes twice (the shell signals the job's process group, a wrapper such as sudo passes it
            // on): it is no user asking again, and nobody is left at the terminal to ask for an immediate end.
            context.Cancel = true;
            return;
        }

        if (isFirst && isSettingUp)
        {
            Say($"simhost: {reason} while the world is set up: no frame has run; ending at once");
        }

        if (!isFirst || isSettingUp)
        {
            // Asked twice, or before any frame: the user wants out now; let the default handler end the process (by
            // the signal, so no managed cleanup runs after this: what must not be left behind is removed here).
            // The runtime's files first: the run directory's removal stays the last step before the exit, as short a
            // window as ever for a worker the pool is restarting meanwhile to add a file to it.
            RuntimeIpcFiles.RemoveOwnBeforeAForcedExit();
            Forced?.Invoke();
            return;
        }

        context.Cancel = true;
        Volatile.Write(ref _reason, reason);

        // Said at once: the frame in progress may be long (or a job in the host may never return), and a signal that
        // seems ignored gets sent again, which ends the process without its summary.
        // A second SIGHUP is ignored (above), so only the other signals are said to end simhost when sent again.
        Say(context.Signal == PosixSignal.SIGHUP
            ? $"simhost: {reason}: stopping once the frame in progress ends"
            : $"simhost: {reason}: stopping once the frame in progress ends; {context.Signal} again ends simhost at once, without the summary");
        _stop.Cancel();
    }

    /// <summary>Writes a line on stderr from the signal's thread, where an exception would end the process: a terminal closed is no error.</summary>
    private static void Say(string line)
    {
        try
        {
            Console.Error.WriteLine(line);
        }
        catch (IOException)
        {
        }
    }

    private sealed class SetUpScope : IDisposable
    {
        private int _isDisposed;

        public SetUpScope() => Interlocked.Increment(ref s_setUps);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _isDisposed, 1) == 0)
            {
                Interlocked.Decrement(ref s_setUps);
            }
        }
    }
}
