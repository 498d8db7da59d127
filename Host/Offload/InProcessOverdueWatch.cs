using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SimHost.Host.Diagnostics;
using SimHost.Layout.Jobs;

namespace SimHost.Host.Offload;

/// <summary>
/// Says when a range running in the host outlasts the job timeout. A worker that overruns is killed and its range run
/// again; a range in the host cannot be stopped (.NET cannot abort a thread), so a job that never returns there holds
/// the frame for good. This turns that silence into one warning per overdue range, naming the job and its rows.
/// </summary>
/// <remarks>
/// A fixed table of entries, one per range that can run at once, claimed and released with interlocked operations, and
/// one timer per watch: watching allocates nothing per frame.
/// </remarks>
internal sealed class InProcessOverdueWatch : IDisposable
{
    private readonly Entry[] _entries;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly Timer _timer;

    /// <param name="concurrentRanges">How many ranges may run in the host at once; a range beyond that runs unwatched.</param>
    /// <param name="timeout">How long a range may run before it is reported.</param>
    /// <param name="logger">Where the warning goes.</param>
    public InProcessOverdueWatch(int concurrentRanges, TimeSpan timeout, ILogger logger)
    {
        _entries = new Entry[concurrentRanges];
        for (var i = 0; i < _entries.Length; i++)
        {
            _entries[i] = new Entry();
        }

        _timeout = timeout;
        _logger = logger;

        // The timer holds the watch weakly: a simulation dropped without Dispose takes its timer with it.
        var period = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 10, 1000));
        _timer = new Timer(
            static state =>
            {
                if (((WeakReference<InProcessOverdueWatch>)state!).TryGetTarget(out var watch))
                {
                    watch.Check();
                }
            },
            new WeakReference<InProcessOverdueWatch>(this),
            period,
            period);
    }

    /// <summary>Records that <paramref name="range"/> starts now; returns the entry to give <see cref="End"/>, or -1 when none is free.</summary>
    public int Begin(in JobRange range)
    {
        for (var i = 0; i < _entries.Length; i++)
        {
            var entry = _entries[i];
            if (Interlocked.CompareExchange(ref entry.State, Entry.Claimed, Entry.Free) == Entry.Free)
            {
                entry.Job = range.JobName;
                entry.RowStart = range.RowStart;
                entry.RowCount = range.RowCount;
                Volatile.Write(ref entry.Started, Stopwatch.GetTimestamp());
                Interlocked.Increment(ref entry.Generation);
                Volatile.Write(ref entry.State, Entry.Running);
                return i;
            }
        }

        return -1;
    }

    /// <summary>The range of entry <paramref name="index"/> ended.</summary>
    public void End(int index)
    {
        if (index >= 0)
        {
            Volatile.Write(ref _entries[index].State, Entry.Free);
        }
    }

    /// <summary>Stops the timer.</summary>
    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        foreach (var entry in _entries)
        {
            // The range is read between two reads of its generation: if it ended and another took the entry meanwhile,
            // the reads may mix the two, and this check leaves it to the next one.
            var generation = Volatile.Read(ref entry.Generation);
            if (Volatile.Read(ref entry.State) != Entry.Running || Volatile.Read(ref entry.WarnedGeneration) == generation)
            {
                continue;
            }

            var elapsed = Stopwatch.GetElapsedTime(Volatile.Read(ref entry.Started));
            var (job, rowStart, rowCount) = (entry.Job, entry.RowStart, entry.RowCount);
            if (elapsed <= _timeout || Volatile.Read(ref entry.Generation) != generation || Volatile.Read(ref entry.State) != Entry.Running)
            {
                continue;
            }

            // Once per range: the generation it was warned for, set only if no other check set it first.
            var warned = Volatile.Read(ref entry.WarnedGeneration);
            if (warned != generation && Interlocked.CompareExchange(ref entry.WarnedGeneration, generation, warned) == warned)
            {
                OffloadLog.InProcessRangeOverdue(_logger, job ?? "?", rowStart, rowCount, elapsed.TotalSeconds, DurationFormat.Format(_timeout));
            }
        }
    }

    private sealed class Entry
    {
        public const int Free = 0;
        public const int Claimed = 1;
        public const int Running = 2;

        public int State;
        public long Started;
        public string? Job;
        public int RowStart;
        public int RowCount;
        public long Generation;
        public long WarnedGeneration;
    }
}
