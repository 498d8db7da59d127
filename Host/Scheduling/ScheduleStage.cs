namespace SimHost.Host.Scheduling;

/// <summary>One stage of a built schedule: its systems grouped into levels that run one after another.</summary>
internal sealed class ScheduleStage
{
    internal ScheduleStage(StageDefinition definition, ScheduledSystem[][] levelSystems)
    {
        Definition = definition;
        LevelSystems = levelSystems;
        var levels = new IReadOnlyList<SystemDescriptor>[levelSystems.Length];
        for (var j = 0; j < levelSystems.Length; j++)
        {
            var descriptors = new SystemDescriptor[levelSystems[j].Length];
            for (var k = 0; k < descriptors.Length; k++)
            {
                descriptors[k] = levelSystems[j][k].Descriptor;
            }

            levels[j] = descriptors;
        }

        Levels = levels;
    }

    /// <summary>The stage's name.</summary>
    public string Name => Definition.Name;

    /// <summary>True when the stage runs on the first frame only.</summary>
    public bool RunsOnce => Definition.RunsOnce;

    /// <summary>
    /// The systems of each level, in registration order within a level. Systems of one level never conflict and
    /// run at the same time; level j starts once level j - 1 has finished.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<SystemDescriptor>> Levels { get; }

    internal StageDefinition Definition { get; }

    internal ScheduledSystem[][] LevelSystems { get; }
}
