namespace SimHost.Host.Workers;

/// <summary>What a <see cref="RestartTracker"/> decided after a failure.</summary>
/// <param name="ShouldRestart">Whether to start a new worker; false leaves the slot down for the rest of the run.</param>
/// <param name="Delay">How long to wait before starting it.</param>
/// <param name="GiveUpReason">When the slot stays down: one line naming the limit that was reached.</param>
internal readonly record struct RestartDecision(bool ShouldRestart, TimeSpan Delay, string? GiveUpReason)
{
    public static RestartDecision After(TimeSpan delay) => new(true, delay, null);

    public static RestartDecision GiveUp(string reason) => new(false, TimeSpan.Zero, reason);
}
