namespace SimHost.Host.Scheduling;

/// <summary>What a system's work receives when it runs: the frame clock and the integration layer's frame state.</summary>
/// <param name="Timing">The frame index, delta time and simulation time of the running frame.</param>
/// <param name="FrameState">An opaque object the integration layer passes through (world, command buffers); the scheduler never reads it.</param>
internal readonly record struct SystemRunContext(FrameTiming Timing, object? FrameState)
{
    /// <summary>
    /// Whether nothing else of the level is started after this system on the calling thread, so its work may hold that
    /// thread (an offloaded system's host spins there for the reply of its last range instead of sleeping). Set by
    /// the schedule runner for the last offloaded system of a level without in-process systems.
    /// </summary>
    public bool MayBlockCaller { get; init; }

    /// <summary>The running frame's sequence number.</summary>
    public long FrameIndex => Timing.FrameIndex;

    /// <summary>Simulated seconds since the previous frame.</summary>
    public double DeltaSeconds => Timing.DeltaSeconds;

    /// <summary>Simulated seconds since the simulation started.</summary>
    public double TimeSeconds => Timing.TimeSeconds;
}
