using SimHost.Host.Ecs;
using SimHost.Host.Scheduling;
using SimHost.Host.SharedStorage;

namespace SimHost.Host.Simulation;

/// <summary>
/// Turns a declared <see cref="SystemBuilder"/> into what the scheduler and the storage need: its query, its schedule
/// descriptor (<see cref="SystemDescriptorBuilder"/>) and the components shared storage must hold for it.
/// </summary>
internal static class SystemWiring
{
    public static Query QueryOf(SystemBuilder system, World world)
    {
        var query = world.Query();
        foreach (var access in system.ComponentWrites)
        {
            access.Require(query);
        }

        foreach (var access in system.ComponentReads)
        {
            access.Require(query);
        }

        system.ConfigureQuery?.Invoke(query);
        return query;
    }

    public static SystemDescriptorBuilder Describe(SystemBuilder system, Query query, Dictionary<string, SystemState> states)
    {
        var descriptor = SystemDescriptor.Create(system.Name).InStage(system.Stage);
        foreach (var before in system.BeforeSystems)
        {
            descriptor.Before(before);
        }

        foreach (var after in system.AfterSystems)
        {
            descriptor.After(after);
        }

        foreach (var read in system.ComponentReads)
        {
            descriptor.Reads(read.Component.Type);
        }

        foreach (var write in system.ComponentWrites)
        {
            descriptor.Writes(write.Component.Type);
        }

        // A Changed filter reads the component's ticks: no system that writes it may run beside this one, which is also
        // what lets a system's cursor skip everything stamped while it ran (its own writes).
        foreach (var id in query.ChangedIds)
        {
            var filtered = ComponentType.FromId(id);
            if (!SystemValidation.Declares(system, filtered.Type))
            {
                descriptor.Reads(filtered.Type);
            }
        }

        if (system.UsesAllThreadsDeclared)
        {
            descriptor.UsesAllThreads();
        }

        var name = system.Name;
        return descriptor
            .WithExecutionKind(system.JobName is null ? ExecutionKind.InProcess : ExecutionKind.Offloaded)
            .Runs((context, cancellationToken) => states[name].RunAsync(context, cancellationToken));
    }

    public static ComponentType[] Components(IReadOnlyList<SystemBuilder.ComponentAccess> accesses)
    {
        var components = new ComponentType[accesses.Count];
        for (var i = 0; i < components.Length; i++)
        {
            components[i] = accesses[i].Component;
        }

        return components;
    }

    // The components of every offloaded system that runs in place on shared storage.
    public static List<ComponentType> SharedComponents(IReadOnlyList<SystemBuilder> systems, Dictionary<string, Query> queries, StorageMode storage)
    {
        var components = new List<ComponentType>();
        if (storage != StorageMode.Shared)
        {
            return components;
        }

        foreach (var system in systems)
        {
            if (system.JobName is null || !RunsInPlace(queries[system.Name]))
            {
                continue;
            }

            components.AddRange(Components(system.ComponentWrites));
            components.AddRange(Components(system.ComponentReads));
        }

        return components;
    }

    /// <summary>The jobs the offloaded systems among <paramref name="systems"/> name, each once.</summary>
    public static List<string> OffloadedJobNames(IReadOnlyList<SystemBuilder> systems)
    {
        var names = new List<string>();
        foreach (var system in systems)
        {
            if (system.JobName is { } name && !names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        return names;
    }

    // Shared storage runs a job over whole archetypes in place; a Changed filter picks scattered rows, which only a
    // snapshot can hand a job as contiguous ranges.
    public static bool RunsInPlace(Query query) => query.ChangedIds.IsEmpty;

    /// <summary>The systems' states in the schedule's order, and per stage in the order they were added.</summary>
    public static (SystemState[] InScheduleOrder, Dictionary<string, SystemState[]> ByStage) Order(
        Schedule schedule, IReadOnlyList<SystemBuilder> systems, Dictionary<string, SystemState> states)
    {
        var inScheduleOrder = new SystemState[schedule.Systems.Count];
        for (var i = 0; i < inScheduleOrder.Length; i++)
        {
            inScheduleOrder[i] = states[schedule.Systems[i].Name];
        }

        var byStage = new Dictionary<string, SystemState[]>(StringComparer.Ordinal);
        foreach (var stage in schedule.Stages)
        {
            var inStage = new List<SystemState>();
            foreach (var system in systems)
            {
                if (string.Equals(system.Stage, stage.Name, StringComparison.Ordinal))
                {
                    inStage.Add(states[system.Name]);
                }
            }

            byStage[stage.Name] = [.. inStage];
        }

        return (inScheduleOrder, byStage);
    }
}
