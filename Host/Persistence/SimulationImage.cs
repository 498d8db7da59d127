namespace SimHost.Host.Persistence;

/// <summary>
/// The simulation's own state beside its world: frames run, simulated seconds at the next frame, and each system's
/// change cursor (the tick up to which it has seen changes; without it a resumed <c>Changed&lt;T&gt;</c> query would
/// see a different set of rows).
/// </summary>
internal sealed record SimulationImage(long FrameCount, double TimeSeconds, IReadOnlyList<SystemCursorImage> Cursors);
