namespace SimHost.Host.Ecs;

/// <summary>
/// Remembers up to which change tick a reader (a query, or every query of one system) has looked, so
/// <see cref="Query.Changed{T}"/> yields exactly the rows written since the reader's previous run.
/// </summary>
/// <remarks>
/// A run sees rows stamped after <see cref="SinceTick"/>. Starting a run advances the world tick, so every later write
/// is seen by the next run and no write is ever missed. A run that is ended with <see cref="EndRun"/> (every system's
/// run is) also moves the cursor past everything stamped while it ran, so, as in Bevy, a system's own writes (its
/// in-process writes and its committed job output) are not changes to that system on its next run. That is sound
/// because the scheduler never runs a system beside another that writes a component it reads or filters on: what was
/// stamped during the run and is visible to the system is the system's own. A run that is never ended (a standalone
/// query iterated on its own) sees its own writes next time.
/// </remarks>
internal sealed partial class ChangeCursor
{
    private uint _seenThrough;

    /// <summary>Rows stamped after this tick count as changed in the current run; zero before the first run.</summary>
    public uint SinceTick { get; private set; }

    /// <summary>The world tick at which the current (or last) run began.</summary>
    public uint LastRunTick { get; private set; }

    /// <summary>Starts a run: what was new before now becomes visible, and the world tick moves on.</summary>
    public void BeginRun(World world)
    {
        ArgumentNullException.ThrowIfNull(world);
        SinceTick = _seenThrough;
        LastRunTick = world.ChangeTick;
        _seenThrough = LastRunTick;
        world.AdvanceTick();
    }

    /// <summary>
    /// Ends a run: everything stamped so far was the reader's own doing, so its next run looks only past it; the world
    /// tick moves on so that later writes are newer.
    /// </summary>
    public void EndRun(World world)
    {
        ArgumentNullException.ThrowIfNull(world);
        _seenThrough = world.ChangeTick;
        world.AdvanceTick();
    }
}
