namespace SimHost.Host.Ecs;

/// <summary>A cursor's ticks as a checkpoint stores them, so a resumed system sees exactly the changes it would have.</summary>
internal sealed partial class ChangeCursor
{
    /// <summary>The tick up to which the next run has seen everything (what <see cref="SinceTick"/> becomes at the next <see cref="BeginRun"/>).</summary>
    internal uint SeenThrough => _seenThrough;

    /// <summary>Puts the cursor back where a checkpoint found it.</summary>
    internal void Restore(uint sinceTick, uint lastRunTick, uint seenThrough)
    {
        SinceTick = sinceTick;
        LastRunTick = lastRunTick;
        _seenThrough = seenThrough;
    }
}
