namespace SimHost.Host.Scheduling;

/// <summary>The clock of one frame, handed to every system of that frame and to every range an offloaded system runs.</summary>
/// <param name="FrameIndex">The frame's sequence number, counted by the caller.</param>
/// <param name="DeltaSeconds">Simulated seconds since the previous frame.</param>
/// <param name="TimeSeconds">Simulated seconds since the simulation started.</param>
internal readonly record struct FrameTiming(long FrameIndex, double DeltaSeconds, double TimeSeconds);
