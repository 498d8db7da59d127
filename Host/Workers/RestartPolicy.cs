namespace SimHost.Host.Workers;

/// <summary>
/// Decides whether a worker slot whose process failed is started again, and after how long. This policy restarts
/// at once and gives a slot up only after <see cref="MaxConsecutiveStartFailures"/> starts in a row fail (a worker
/// that cannot even say Hello will not get better by retrying forever).
/// </summary>
/// <remarks>
/// The seam for exponential backoff and restart-intensity limits (at most R restarts in T): override
/// <see cref="ShouldRestart"/>. The pool calls it once per failure, from that slot's supervision loop only.
/// </remarks>
public class RestartPolicy
{
    /// <summary>Restarts at once; gives up after three failed starts in a row.</summary>
    public static RestartPolicy Immediate { get; } = new();

    /// <summary>Starts in a row that may fail (no Hello, refused handshake) before the slot stays down.</summary>
    public int MaxConsecutiveStartFailures { get; init; } = 3;

    /// <summary>Decides what happens after a failure of worker <paramref name="workerId"/>.</summary>
    /// <param name="workerId">The slot's worker id.</param>
    /// <param name="consecutiveStartFailures">Failed starts since the slot last had a live worker; 0 when a live worker died.</param>
    /// <param name="delay">How long to wait before starting a new worker.</param>
    /// <returns>Whether to start a new worker; false leaves the slot down for the rest of the run.</returns>
    public virtual bool ShouldRestart(int workerId, int consecutiveStartFailures, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        return consecutiveStartFailures < MaxConsecutiveStartFailures;
    }
}
