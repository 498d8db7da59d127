using SimHost.Host.Ecs;

namespace SimHost.Host.Simulation;

/// <summary>
/// What an in-process system's work receives each frame: the world, the system's own query and command buffer, and
/// the frame clock. Structural changes go through <see cref="Commands"/>; they are played back at the end of the stage.
/// </summary>
public sealed class SystemContext
{
    internal SystemContext(World world, Query query, CommandBuffer commands)
    {
        World = world;
        Query = query;
        Commands = commands;
    }

    /// <summary>The world.</summary>
    public World World { get; }

    /// <summary>
    /// The system's query (by default every entity with all the components it declares). Its <c>Changed</c> filters
    /// mean "written since this system last ran".
    /// </summary>
    public Query Query { get; }

    /// <summary>The system's command buffer, played back at the end of its stage.</summary>
    public CommandBuffer Commands { get; }

    /// <summary>The running frame's index, from zero.</summary>
    public long FrameIndex { get; internal set; }

    /// <summary>Simulated seconds the frame advances.</summary>
    public double DeltaSeconds { get; internal set; }

    /// <summary>Simulated seconds at the start of the frame.</summary>
    public double TimeSeconds { get; internal set; }
}
