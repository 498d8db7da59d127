using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SimHost.Worker;

/// <summary>
/// Polls every 250 ms whether the host process is still this worker's parent, and calls back once when it is not,
/// so an orphaned worker ends within a second even while a job spins.
/// </summary>
/// <remarks>
/// Not prctl(PR_SET_PDEATHSIG): that signal fires when the parent *thread* that forked the child exits, and .NET
/// starts processes from thread-pool threads that retire when idle, which would kill healthy workers at random.
/// On Linux getppid() changes when the parent dies (the child is re-parented), which is immune to pid reuse.
/// </remarks>
internal sealed partial class ParentWatch : IDisposable
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(250);
    private readonly int _parentProcessId;
    private readonly Action _onParentGone;
    private readonly Timer _timer;
    private int _hasFired;

    private ParentWatch(int parentProcessId, Action onParentGone)
    {
        _parentProcessId = parentProcessId;
        _onParentGone = onParentGone;
        _timer = new Timer(_ => Poll(), null, TimeSpan.Zero, s_pollInterval);
    }

    /// <summary>Starts watching <paramref name="parentProcessId"/>; the first poll runs at once.</summary>
    public static ParentWatch Start(int parentProcessId, Action onParentGone) => new(parentProcessId, onParentGone);

    /// <summary>Whether the parent is gone right now.</summary>
    public static bool IsParentGone(int parentProcessId)
    {
        if (OperatingSystem.IsLinux())
        {
            return GetParentProcessId() != parentProcessId;
        }

        try
        {
            using var process = Process.GetProcessById(parentProcessId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _timer.Dispose();

    private void Poll()
    {
        if (IsParentGone(_parentProcessId) && Interlocked.Exchange(ref _hasFired, 1) == 0)
        {
            _onParentGone();
        }
    }

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentProcessId();
}
