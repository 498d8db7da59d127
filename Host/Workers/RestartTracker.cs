using System.Globalization;

namespace SimHost.Host.Workers;

/// <summary>
/// One slot's restart history under a <see cref="RestartPolicy"/>: when its worker last became ready, how many
/// failures since the last healthy stretch (the backoff exponent), and when each recent restart happened (the
/// intensity window). Used from that slot's supervision loop only, so it needs no locking.
/// </summary>
internal sealed class RestartTracker(RestartPolicy policy)
{
    private readonly Queue<long> _restartTimestamps = new();
    private long? _readySince;
    private int _failuresSinceHealthy;

    /// <summary>The worker said Hello: it is up from now on.</summary>
    public void OnReady() => _readySince = policy.TimeProvider.GetTimestamp();

    /// <summary>Records a failure (a live worker lost, or a start that failed) and decides what follows.</summary>
    /// <param name="consecutiveStartFailures">Failed starts since the slot last had a live worker; 0 when a live worker died.</param>
    public RestartDecision OnFailure(int consecutiveStartFailures)
    {
        var clock = policy.TimeProvider;
        var now = clock.GetTimestamp();
        if (_readySince is { } since && clock.GetElapsedTime(since, now) >= policy.HealthyStretch)
        {
            _failuresSinceHealthy = 0;
        }

        _readySince = null;
        if (consecutiveStartFailures >= policy.MaxConsecutiveStartFailures)
        {
            return RestartDecision.GiveUp(string.Create(
                CultureInfo.InvariantCulture, $"{consecutiveStartFailures} failed starts in a row (limit {policy.MaxConsecutiveStartFailures})"));
        }

        while (_restartTimestamps.Count > 0 && clock.GetElapsedTime(_restartTimestamps.Peek(), now) > policy.RestartWindow)
        {
            _restartTimestamps.Dequeue();
        }

        if (consecutiveStartFailures == 0 && !policy.ReplacesLostWorkers)
        {
            return RestartDecision.GiveUp("a lost worker is not replaced (RestartPolicy.ReplacesLostWorkers is false, as under --on-worker-failure fail, whose run ends at the first worker failure)");
        }

        if (policy.MaxRestarts == 0)
        {
            return RestartDecision.GiveUp(consecutiveStartFailures == 0
                ? "restarts are off (--max-restarts 0)"
                : "restarts are off (--max-restarts 0), so a worker that failed to start is not started again");
        }

        if (_restartTimestamps.Count >= policy.MaxRestarts)
        {
            return RestartDecision.GiveUp(string.Create(
                CultureInfo.InvariantCulture,
                $"restart intensity limit reached: {_restartTimestamps.Count} restarts within {policy.RestartWindow.TotalSeconds:0.###} s (--max-restarts {policy.MaxRestarts}, --restart-window {policy.RestartWindow.TotalSeconds:0.###}s)"));
        }

        _restartTimestamps.Enqueue(now);
        var delay = Backoff(_failuresSinceHealthy);
        _failuresSinceHealthy++;
        return RestartDecision.After(delay);
    }

    private TimeSpan Backoff(int failures)
    {
        if (policy.InitialBackoff <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        // Doubling stops at the cap long before the shift could overflow.
        var ticks = policy.InitialBackoff.Ticks;
        for (var i = 0; i < failures && ticks < policy.MaxBackoff.Ticks; i++)
        {
            ticks *= 2;
        }

        return TimeSpan.FromTicks(Math.Min(ticks, policy.MaxBackoff.Ticks));
    }
}
