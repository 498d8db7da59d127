using System.Runtime.InteropServices;

namespace SimHost.Host.Persistence;

/// <summary>
/// Runs work that must give way to the frames on a thread of its own at the lowest CPU priority: a checkpoint's
/// writing and hashing. At equal priority, on two cores beside two workers, the writer took CPU from the frames and
/// raised the frame-time p99 of a run checkpointing every 60 frames by 1.38-1.45×; at the lowest, by 1.14-1.35×
/// (median 1.18), writing fewer of the checkpoints due (docs/benchmarks/README.md, fourteenth pass).
/// </summary>
/// <remarks>
/// The thread is new for each piece of work, because an unprivileged thread cannot raise its priority back: a pool
/// thread lowered once would stay low for whatever ran on it next.
/// </remarks>
internal static partial class BackgroundPriority
{
    private const int ProcessOrThread = 0;
    private const int LowestNice = 19;

    /// <summary>Runs <paramref name="work"/> on a new background thread named <paramref name="name"/>, at the lowest CPU priority.</summary>
    /// <returns>A task that completes as <paramref name="work"/> does, failed with its exception if it throws.</returns>
    public static Task Run(string name, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            LowerCurrentThread();
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception exception)
            {
                // Every failure goes to whoever awaits the task, as Task.Run would carry it.
                done.SetException(exception);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Gives the calling thread the lowest CPU priority: its Linux nice value 19, elsewhere <see cref="ThreadPriority.Lowest"/>.</summary>
    private static void LowerCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            Thread.CurrentThread.Priority = ThreadPriority.Lowest;
            return;
        }

        try
        {
            // On Linux, PRIO_PROCESS with a thread's id sets that thread's nice value alone. Lowering one's own
            // priority needs no privilege, so this fails only where the calls are missing; the work then runs as is.
            _ = SetPriority(ProcessOrThread, GetThreadId(), LowestNice);
        }
        catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);
}
