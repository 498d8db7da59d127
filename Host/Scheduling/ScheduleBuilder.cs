namespace SimHost.Host.Scheduling;

/// <summary>
/// Collects systems and builds a validated <see cref="Schedule"/>. All validation happens in <see cref="Build"/>,
/// never mid-frame: duplicate names, unknown stages, unknown or cross-stage before/after names, and cycles.
/// </summary>
internal sealed class ScheduleBuilder
{
    private readonly StageDefinition[] _stages;
    private readonly List<SystemDescriptor> _systems = [];

    /// <summary>Starts a schedule with the default stages (<see cref="StageDefinition.Defaults"/>).</summary>
    public ScheduleBuilder()
        : this(StageDefinition.Defaults)
    {
    }

    /// <summary>Starts a schedule whose stages run in the order given.</summary>
    public ScheduleBuilder(IEnumerable<StageDefinition> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        _stages = [.. stages];
        if (_stages.Length == 0)
        {
            throw new ArgumentException("A schedule needs at least one stage.", nameof(stages));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stage in _stages)
        {
            ArgumentNullException.ThrowIfNull(stage, nameof(stages));
            ArgumentException.ThrowIfNullOrWhiteSpace(stage.Name, nameof(stages));
            if (!names.Add(stage.Name))
            {
                throw new ArgumentException($"Stage '{stage.Name}' is listed more than once.", nameof(stages));
            }
        }
    }

    /// <summary>Registers a system; registration order breaks ties between conflicting systems (earlier runs first).</summary>
    public ScheduleBuilder Add(SystemDescriptor system)
    {
        ArgumentNullException.ThrowIfNull(system);
        _systems.Add(system);
        return this;
    }

    /// <summary>Builds and registers the system described by <paramref name="system"/>.</summary>
    public ScheduleBuilder Add(SystemDescriptorBuilder system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return Add(system.Build());
    }

    /// <summary>Validates the registered systems and orders each stage into levels.</summary>
    /// <exception cref="ScheduleValidationException">Listing every problem found, each naming the systems involved.</exception>
    public Schedule Build()
    {
        var errors = new List<string>();
        var stageIndexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var s = 0; s < _stages.Length; s++)
        {
            stageIndexByName.Add(_stages[s].Name, s);
        }

        var systemsByName = new Dictionary<string, SystemDescriptor>(StringComparer.Ordinal);
        var reportedDuplicates = new HashSet<string>(StringComparer.Ordinal);
        var stageSystems = new List<SystemDescriptor>[_stages.Length];
        for (var s = 0; s < _stages.Length; s++)
        {
            stageSystems[s] = [];
        }

        foreach (var system in _systems)
        {
            if (!systemsByName.TryAdd(system.Name, system))
            {
                if (reportedDuplicates.Add(system.Name))
                {
                    errors.Add($"System name '{system.Name}' is registered more than once.");
                }

                continue;
            }

            if (stageIndexByName.TryGetValue(system.Stage, out var stageIndex))
            {
                stageSystems[stageIndex].Add(system);
            }
            else
            {
                errors.Add($"System '{system.Name}' is in stage '{system.Stage}', which is not a configured stage "
                    + $"({string.Join(", ", Array.ConvertAll(_stages, stage => stage.Name))}).");
            }
        }

        var graphs = new StageGraph?[_stages.Length];
        for (var s = 0; s < _stages.Length; s++)
        {
            var edges = ResolveEdges(stageSystems[s], systemsByName, errors);
            graphs[s] = StageGraph.Build(stageSystems[s], edges, errors);
        }

        if (errors.Count > 0)
        {
            throw new ScheduleValidationException(errors);
        }

        return Assemble(stageSystems, graphs!);
    }

    private static List<(int From, int To)> ResolveEdges(
        List<SystemDescriptor> systems, Dictionary<string, SystemDescriptor> systemsByName, List<string> errors)
    {
        var localIndex = new Dictionary<string, int>(systems.Count, StringComparer.Ordinal);
        for (var i = 0; i < systems.Count; i++)
        {
            localIndex.Add(systems[i].Name, i);
        }

        var edges = new List<(int From, int To)>();
        for (var i = 0; i < systems.Count; i++)
        {
            var system = systems[i];
            foreach (var name in system.Before)
            {
                if (TryResolve(system, name, "Before", localIndex, systemsByName, errors, out var target))
                {
                    edges.Add((i, target));
                }
            }

            foreach (var name in system.After)
            {
                if (TryResolve(system, name, "After", localIndex, systemsByName, errors, out var source))
                {
                    edges.Add((source, i));
                }
            }
        }

        return edges;
    }

    private static bool TryResolve(
        SystemDescriptor system,
        string name,
        string relation,
        Dictionary<string, int> localIndex,
        Dictionary<string, SystemDescriptor> systemsByName,
        List<string> errors,
        out int index)
    {
        if (localIndex.TryGetValue(name, out index))
        {
            return true;
        }

        if (systemsByName.TryGetValue(name, out var other))
        {
            errors.Add($"System '{system.Name}' (stage '{system.Stage}') declares {relation}('{name}'), but '{name}' "
                + $"is in stage '{other.Stage}'; systems of different stages are ordered by the stage order only.");
        }
        else
        {
            errors.Add($"System '{system.Name}' declares {relation}('{name}'), but no system named '{name}' is registered.");
        }

        return false;
    }

    private Schedule Assemble(List<SystemDescriptor>[] stageSystems, StageGraph[] graphs)
    {
        // Schedule order: stage, then level, then registration. Frame reports use the same order.
        var scheduleIndex = new Dictionary<SystemDescriptor, int>(ReferenceEqualityComparer.Instance);
        var ordered = new List<(SystemDescriptor System, int Stage, int Local)>();
        for (var s = 0; s < _stages.Length; s++)
        {
            var levels = graphs[s].Levels;
            var levelCount = levels.Length == 0 ? 0 : levels.Max() + 1;
            for (var level = 0; level < levelCount; level++)
            {
                for (var i = 0; i < levels.Length; i++)
                {
                    if (levels[i] == level)
                    {
                        scheduleIndex.Add(stageSystems[s][i], ordered.Count);
                        ordered.Add((stageSystems[s][i], s, i));
                    }
                }
            }
        }

        var scheduled = new ScheduledSystem[ordered.Count];
        for (var n = 0; n < ordered.Count; n++)
        {
            var (system, s, local) = ordered[n];
            var graph = graphs[s];
            scheduled[n] = new ScheduledSystem(
                system,
                n,
                s,
                graph.Levels[local],
                ToScheduleIndices(graph.ExplicitPredecessors[local], stageSystems[s], scheduleIndex),
                ToScheduleIndices(graph.ConflictPredecessors[local], stageSystems[s], scheduleIndex));
        }

        var stages = new ScheduleStage[_stages.Length];
        var next = 0;
        for (var s = 0; s < _stages.Length; s++)
        {
            var levels = graphs[s].Levels;
            var levelCount = levels.Length == 0 ? 0 : levels.Max() + 1;
            var levelSystems = new ScheduledSystem[levelCount][];
            for (var level = 0; level < levelCount; level++)
            {
                var start = next;
                while (next < scheduled.Length && scheduled[next].StageIndex == s && scheduled[next].Level == level)
                {
                    next++;
                }

                levelSystems[level] = scheduled[start..next];
            }

            stages[s] = new ScheduleStage(_stages[s], levelSystems);
        }

        return new Schedule(stages, scheduled);
    }

    private static int[] ToScheduleIndices(
        int[] localIndices, List<SystemDescriptor> systems, Dictionary<SystemDescriptor, int> scheduleIndex)
    {
        var result = new int[localIndices.Length];
        for (var i = 0; i < localIndices.Length; i++)
        {
            result[i] = scheduleIndex[systems[localIndices[i]]];
        }

        Array.Sort(result);
        return result;
    }
}
