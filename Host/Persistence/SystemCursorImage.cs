namespace SimHost.Host.Persistence;

/// <summary>One system's change cursor as a checkpoint stores it, keyed by the system's name.</summary>
internal sealed record SystemCursorImage(string System, uint SinceTick, uint LastRunTick, uint SeenThrough);
