using System.Diagnostics;

namespace SimHost.Layout.Signals;

/// <summary>The reader's wait: tight spins, a bounded yielding spin, then a futex sleep (docs/signals.md).</summary>
internal sealed partial class Mailbox
{
    private bool Wait(int lineOffset, ulong target, bool untilEqual, int spinCount, TimeSpan spinTime, TimeSpan timeout, CancellationToken stopSpinning)
    {
        ref var sequence = ref Sequence(lineOffset);

        // Read before spinning: an interrupt that bumps the word during the spins then ends the sleep at once instead
        // of being slept through. An older value only makes the futex wait return early, which is always safe.
        ref var futex = ref Word(lineOffset + MailboxLayout.FutexInLine);
        var observed = Volatile.Read(ref futex);
        for (var i = 0; i < spinCount; i++)
        {
            if ((Volatile.Read(ref sequence) == target) == untilEqual)
            {
                return true;
            }

            Thread.SpinWait(1);
        }

        if ((Volatile.Read(ref sequence) == target) == untilEqual)
        {
            return true;
        }

        if (spinTime > TimeSpan.Zero && SpinFor(ref sequence, target, untilEqual, spinTime, stopSpinning))
        {
            return true;
        }

        if (timeout <= TimeSpan.Zero || !Futex.IsSupported)
        {
            return false;
        }

        ref var sleeping = ref Word(lineOffset + MailboxLayout.SleepingInLine);
        Interlocked.Exchange(ref sleeping, 1);

        // Re-check after announcing the sleep: a writer that published before seeing the flag is caught here, one
        // that published after it either wakes us or changed the futex word (the wait returns at once).
        if ((Volatile.Read(ref sequence) == target) != untilEqual)
        {
            Futex.Wait(ref futex, observed, timeout);
        }

        Volatile.Write(ref sleeping, 0);
        return (Volatile.Read(ref sequence) == target) == untilEqual;
    }

    // Waking a sleeper costs a syscall on one side and a scheduler wake-up on the other, 0.1-0.6 ms each on a small VM;
    // a caller that expects the answer soon and has a core to spare spins instead. SpinWait yields the core now and
    // then, so a thread that needs it more still runs. The clock is read every few iterations, not every one.
    // Bounds the deadline arithmetic (TimeSpan.MaxValue would overflow it); callers bound real spins far lower.
    private const double MaxSpinSeconds = 3600.0;

    private static bool SpinFor(ref ulong sequence, ulong target, bool untilEqual, TimeSpan spinTime, CancellationToken stopSpinning)
    {
        const int IterationsPerClockRead = 32;
        var deadline = Stopwatch.GetTimestamp() + (long)(Math.Min(spinTime.TotalSeconds, MaxSpinSeconds) * Stopwatch.Frequency);
        var spinner = default(SpinWait);
        while (true)
        {
            for (var i = 0; i < IterationsPerClockRead; i++)
            {
                if ((Volatile.Read(ref sequence) == target) == untilEqual)
                {
                    return true;
                }

                spinner.SpinOnce(sleep1Threshold: -1);
            }

            if (Stopwatch.GetTimestamp() >= deadline || stopSpinning.IsCancellationRequested)
            {
                return (Volatile.Read(ref sequence) == target) == untilEqual;
            }
        }
    }
}
