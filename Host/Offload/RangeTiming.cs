namespace SimHost.Host.Offload;

/// <summary>The frame every range of one offloaded run belongs to.</summary>
/// <param name="FrameId">The frame.</param>
/// <param name="DeltaTime">Seconds one tick advances.</param>
/// <param name="Time">Simulation time at the start of the frame.</param>
internal readonly record struct RangeTiming(ulong FrameId, double DeltaTime, double Time);
