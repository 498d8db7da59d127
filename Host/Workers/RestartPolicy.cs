namespace SimHost.Host.Workers;

/// <summary>
/// Decides whether a worker slot whose process failed is started again, and after how long: exponential backoff per
/// slot, and a restart intensity limit as OTP supervisors have (at most <see cref="MaxRestarts"/> restarts within
/// <see cref="RestartWindow"/>; one more failure leaves the slot down and the pool runs with fewer workers).
/// </summary>
/// <remarks>
/// The policy holds settings only and is shared by every slot; each slot keeps its own history in a
/// <see cref="RestartTracker"/>. A worker that stays up for <see cref="HealthyStretch"/> resets its slot's backoff.
/// </remarks>
public sealed record RestartPolicy
{
    /// <summary>Restarts at once, without an intensity limit; gives up only after three failed starts in a row.</summary>
    public static RestartPolicy Immediate { get; } = new()
    {
        InitialBackoff = TimeSpan.Zero,
        MaxBackoff = TimeSpan.Zero,
        MaxRestarts = int.MaxValue,
    };

    /// <summary>Starts in a row that may fail (no Hello, refused handshake) before the slot stays down.</summary>
    public int MaxConsecutiveStartFailures { get; init; } = 3;

    /// <summary>Restarts of one slot allowed within <see cref="RestartWindow"/> (R); 0 never restarts a slot.</summary>
    public int MaxRestarts { get; init; } = 5;

    /// <summary>The sliding window over which <see cref="MaxRestarts"/> is counted (T).</summary>
    public TimeSpan RestartWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before the first restart after a healthy stretch; doubled for each failure after it.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest wait between two restarts of one slot.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a worker must stay up for its slot's backoff to start again at <see cref="InitialBackoff"/>.</summary>
    public TimeSpan HealthyStretch { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether a worker lost after it was up is replaced (default true). False under the command line's
    /// <c>--on-worker-failure fail</c>, whose run ends at the first worker failure: a replacement would only be started
    /// to be stopped again. Set it false, with no executor retry and no in-process fallback on the simulation, for the
    /// same policy in a program, and end the run when <see cref="WorkerPool.LostWorkerCount"/> or a frame's failures
    /// say so. A worker that fails to start is started again either way (unless <see cref="MaxRestarts"/> is 0), until
    /// <see cref="MaxConsecutiveStartFailures"/> starts in a row have failed.
    /// </summary>
    public bool ReplacesLostWorkers { get; init; } = true;

    /// <summary>The clock the policy and the slots' backoff waits use; tests inject a fake.</summary>
    internal TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks the settings; the pool calls it before starting any worker.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or a duration is negative or out of order.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxConsecutiveStartFailures);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRestarts);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RestartWindow, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialBackoff, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, InitialBackoff);
        ArgumentOutOfRangeException.ThrowIfLessThan(HealthyStretch, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
