using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace SimHost.Host.Persistence;

/// <summary>
/// Runs work that must give way to the frames on a thread of its own at the lowest CPU priority: a checkpoint's
/// writing and hashing. At equal priority, on two cores beside two workers, the writer took CPU from the frames and
/// raised the frame-time p99 of a run checkpointing every 60 frames by 1.38-1.45×; at the lowest, by 1.14-1.35×
/// (median 1.2), writing fewer of the checkpoints due (docs/benchmarks/README.md, fourteenth pass).
/// </summary>
/// <remarks>
/// <para>
/// The thread is new for each piece of work, because an unprivileged thread cannot raise its priority back: a pool
/// thread lowered once would stay low for whatever ran on it next.
/// </para>
/// <para>
/// On Linux a new thread takes the nice value of the thread that creates it, and the thread pool creates its threads
/// on whichever thread asks it for work. So the low thread runs the work and nothing else: it completes no task and
/// queues nothing. A thread of normal priority, started by the caller, waits for it and completes the task, so every
/// continuation is queued from there.
/// </para>
/// </remarks>
internal static partial class BackgroundPriority
{
    private const int ProcessOrThread = 0;
    private const int CallingThread = 0;
    private const int LowestNice = 19;

    /// <summary>Runs <paramref name="work"/> on a new background thread named <paramref name="name"/>, at the lowest CPU priority.</summary>
    /// <returns>A task that completes as <paramref name="work"/> does, failed with its exception if it throws.</returns>
    public static Task Run(string name, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ExceptionDispatchInfo? failure = null;
        var low = new Thread(() =>
        {
            LowerCurrentThread();
            try
            {
                work();
            }
            catch (Exception exception)
            {
                // Every failure goes to whoever awaits the task, as Task.Run would carry it.
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        low.Start();

        // LongRunning: a thread of its own, created here at the caller's priority, not a pool thread held blocked.
        return Task.Factory.StartNew(
            () =>
            {
                low.Join();
                failure?.Throw();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Gives the calling thread the lowest CPU priority: its nice value 19 on Linux, elsewhere
    /// <see cref="ThreadPriority.Lowest"/> where the system honours it (Windows; not macOS).
    /// </summary>
    private static void LowerCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            Thread.CurrentThread.Priority = ThreadPriority.Lowest;
            return;
        }

        try
        {
            // Linux keeps a nice value per thread, and PRIO_PROCESS with 0 means the calling thread. Lowering one's
            // own priority needs no privilege, so this fails only where the call is missing; the work then runs as is.
            _ = SetPriority(ProcessOrThread, CallingThread, LowestNice);
        }
        catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);
}
