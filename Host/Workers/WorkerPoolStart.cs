namespace SimHost.Host.Workers;

/// <summary>
/// A pool's start: every slot's supervision begins at once, and the start ends when each slot's first worker connected
/// or failed; if not one did, when a later start of any slot connects or every slot has given up.
/// </summary>
internal static class WorkerPoolStart
{
    /// <summary>Starts every slot's supervision and waits until at least one worker runs.</summary>
    /// <exception cref="WorkerStartException">Every slot used the starts its restart policy allows, and not one worker connected.</exception>
    public static async Task StartEveryWorkerAsync(WorkerSlot[] slots, CancellationToken cancellationToken)
    {
        var firstStarts = new Task<bool>[slots.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i].StartSupervision();
            firstStarts[i] = slots[i].FirstStart;
        }

        var started = await Task.WhenAll(firstStarts).WaitAsync(cancellationToken).ConfigureAwait(false);

        // Not one worker can run after every slot used the starts its restart policy allows: a misconfiguration (a
        // dependency clash, no dotnet host) that retrying will not fix, and that running every job in-process would hide
        // behind a log line. A worker killed from outside while it started comes back on a retry, which its slot's
        // policy starts on its own: the pool waits for those only when no first start succeeded.
        if (slots.Length > 0 && !started.Contains(true) && !await AnySettlesAsync(slots, cancellationToken).ConfigureAwait(false))
        {
            throw new WorkerStartException(
                $"no worker could start ({slots.Length} tried, each as often as the restart policy allows): {slots[0].LastFailure ?? "no reason was given"}; fix that, or run every job in-process with a worker count of 0");
        }
    }

    private static async Task<bool> AnySettlesAsync(WorkerSlot[] slots, CancellationToken cancellationToken)
    {
        var pending = slots.Select(static slot => slot.Settled).ToList();
        while (pending.Count > 0)
        {
            var settled = await Task.WhenAny(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (await settled.ConfigureAwait(false))
            {
                return true;
            }

            pending.Remove(settled);
        }

        return false;
    }
}
