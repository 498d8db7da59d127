using System.Globalization;
using System.Text;

namespace SimHost.Host.Scheduling;

/// <summary>
/// A validated, immutable order of systems: stages in their configured order, each split into levels of systems
/// that do not conflict. Run it frame by frame with a <see cref="ScheduleRunner"/>.
/// </summary>
internal sealed class Schedule
{
    internal Schedule(ScheduleStage[] stages, ScheduledSystem[] systems)
    {
        Stages = stages;
        ScheduledSystems = systems;
        var descriptors = new SystemDescriptor[systems.Length];
        for (var i = 0; i < systems.Length; i++)
        {
            descriptors[i] = systems[i].Descriptor;
        }

        Systems = descriptors;
    }

    /// <summary>The stages in the order they run, including stages without systems.</summary>
    public IReadOnlyList<ScheduleStage> Stages { get; }

    /// <summary>Every system in schedule order (stage, level, registration); frame reports use this order.</summary>
    public IReadOnlyList<SystemDescriptor> Systems { get; }

    internal ScheduledSystem[] ScheduledSystems { get; }

    /// <summary>
    /// Returns a readable dump of the schedule (for a <c>--print-schedule</c> option): each stage, its levels,
    /// each system's kind and access, and why it waits for the systems before it.
    /// </summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var stage in Stages)
        {
            text.Append(CultureInfo.InvariantCulture, $"stage {stage.Name}{(stage.RunsOnce ? " (first frame only)" : string.Empty)}");
            if (stage.LevelSystems.Length == 0)
            {
                text.AppendLine(": no systems");
                continue;
            }

            text.AppendLine();
            for (var level = 0; level < stage.LevelSystems.Length; level++)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  level {level}");
                foreach (var system in stage.LevelSystems[level])
                {
                    DescribeSystem(text, system);
                }
            }
        }

        return text.ToString();
    }

    private void DescribeSystem(StringBuilder text, ScheduledSystem system)
    {
        var descriptor = system.Descriptor;
        text.Append(CultureInfo.InvariantCulture, $"    {descriptor.Name} [{descriptor.ExecutionKind}]");
        AppendSet(text, "reads", descriptor.ComponentReads, type => type.Name);
        AppendSet(text, "writes", descriptor.ComponentWrites, type => type.Name);
        AppendSet(text, "reads resources", descriptor.ResourceReads, name => name);
        AppendSet(text, "writes resources", descriptor.ResourceWrites, name => name);
        AppendPredecessors(text, "after", system.ExplicitPredecessors);
        AppendPredecessors(text, "after (conflict)", system.ConflictPredecessors);
        text.AppendLine();
    }

    private static void AppendSet<T>(StringBuilder text, string label, IReadOnlySet<T> items, Func<T, string> name)
    {
        if (items.Count == 0)
        {
            return;
        }

        var names = new List<string>(items.Count);
        foreach (var item in items)
        {
            names.Add(name(item));
        }

        // Frozen sets have no stable order; sort so the dump is deterministic.
        names.Sort(StringComparer.Ordinal);
        text.Append(CultureInfo.InvariantCulture, $"; {label} {string.Join(", ", names)}");
    }

    private void AppendPredecessors(StringBuilder text, string label, int[] predecessors)
    {
        if (predecessors.Length == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"; {label} ");
        for (var i = 0; i < predecessors.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(ScheduledSystems[predecessors[i]].Descriptor.Name);
        }
    }
}
