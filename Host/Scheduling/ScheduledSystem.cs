namespace SimHost.Host.Scheduling;

/// <summary>A system placed in a built schedule: its position, level and resolved predecessors.</summary>
internal sealed class ScheduledSystem(
    SystemDescriptor descriptor, int index, int stageIndex, int level, int[] explicitPredecessors, int[] conflictPredecessors)
{
    /// <summary>The system's description.</summary>
    public SystemDescriptor Descriptor { get; } = descriptor;

    /// <summary>Position in <see cref="Schedule.Systems"/> and in every frame report.</summary>
    public int Index { get; } = index;

    /// <summary>Position of the system's stage in <see cref="Schedule.Stages"/>.</summary>
    public int StageIndex { get; } = stageIndex;

    /// <summary>The system's level inside its stage.</summary>
    public int Level { get; } = level;

    /// <summary>Schedule indices of the systems this one declared an order against (runs after them).</summary>
    public int[] ExplicitPredecessors { get; } = explicitPredecessors;

    /// <summary>Schedule indices of the systems ordered before this one only because their access conflicts.</summary>
    public int[] ConflictPredecessors { get; } = conflictPredecessors;
}
