namespace SimHost.Layout.Signals;

/// <summary>
/// How a thread waits for the other side of a shared-memory mailbox, chosen once and carried as one value (after
/// Agrona's <c>IIdleStrategy</c>): <see cref="SpinCount"/> tight spins, then a yielding spin of up to
/// <see cref="SpinLimit"/>, then a park (a futex sleep) until woken.
/// </summary>
/// <remarks>
/// The yielding spin is adaptive: it is spent only while the previous wait fitted it (<see cref="SpinTimeAfter"/>), so
/// back-to-back work is answered without a wake-up (0.1–0.6 ms each on a small VM) and a slow or paused cadence parks
/// at once and burns no core. docs/signals.md has the measurements behind the defaults.
/// </remarks>
/// <param name="SpinCount">Tight spin iterations (each a check and one <see cref="Thread.SpinWait(int)"/>) before anything else.</param>
/// <param name="SpinLimit">The longest yielding spin after them, from zero to one second; zero parks right after the tight spins.</param>
public readonly record struct IdleStrategy(int SpinCount, TimeSpan SpinLimit)
{
    /// <summary>The longest <see cref="SpinLimit"/> a pool accepts: past it a spinning thread only wastes its core.</summary>
    public static readonly TimeSpan MaxSpinLimit = TimeSpan.FromSeconds(1);

    /// <summary>Park right after the tight spins, never spin on the clock: the choice for a host that shares its cores.</summary>
    public static IdleStrategy SpinThenPark(int spinCount) => new(spinCount, TimeSpan.Zero);

    /// <summary>Tight spins, a yielding spin of up to <paramref name="spinLimit"/> while waits fit it, then park.</summary>
    public static IdleStrategy SpinYieldThenPark(int spinCount, TimeSpan spinLimit) => new(spinCount, spinLimit);

    /// <summary>The yielding spin of the next wait: <see cref="SpinLimit"/> while the last wait fitted it, else none.</summary>
    /// <param name="lastWait">How long the previous wait (or round trip) took.</param>
    internal TimeSpan SpinTimeAfter(TimeSpan lastWait) => lastWait <= SpinLimit ? SpinLimit : TimeSpan.Zero;

    /// <summary>Throws when a field is out of range; <paramref name="name"/> names the option in the message.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative spin count, or a spin limit below zero or above <see cref="MaxSpinLimit"/>.</exception>
    internal void Validate(string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(SpinCount, name);
        ArgumentOutOfRangeException.ThrowIfLessThan(SpinLimit, TimeSpan.Zero, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SpinLimit, MaxSpinLimit, name);
    }
}
