namespace SimHost.Host.Ecs;

/// <summary>
/// Remembers up to which change tick a reader (a query, or every query of one system) has looked, so
/// <see cref="Query.Changed{T}"/> yields exactly the rows written since the reader's previous run.
/// </summary>
/// <remarks>
/// A run sees rows stamped after <see cref="SinceTick"/> and up to the tick at which the run began. Starting a run
/// advances the world tick, so every later write (including the reader's own writes during the run) is seen by the
/// next run and no write is ever missed.
/// </remarks>
public sealed class ChangeCursor
{
    /// <summary>Rows stamped after this tick count as changed in the current run; zero before the first run.</summary>
    public uint SinceTick { get; private set; }

    /// <summary>The world tick at which the current (or last) run began.</summary>
    public uint LastRunTick { get; private set; }

    /// <summary>Starts a run: what was new before now becomes visible, and the world tick moves on.</summary>
    public void BeginRun(World world)
    {
        SinceTick = LastRunTick;
        LastRunTick = world.ChangeTick;
        world.AdvanceTick();
    }
}
