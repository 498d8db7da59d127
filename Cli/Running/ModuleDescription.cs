using System.Globalization;
using System.Text;
using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Scheduling;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Layout.Components;

namespace SimHost.Host.Running;

/// <summary>
/// <c>simhost describe</c>: what a module is made of, as plain text. The module is seeded and built in-process (its
/// own temporary run directory, no workers) so the schedule shown is the one a run would use: its components with
/// their byte layouts, its systems by stage and level with the read/write conflicts that put a system in a later
/// level, and where each system's work runs.
/// </summary>
internal static class ModuleDescription
{
    /// <summary>Describes <paramref name="module"/> as a run with <paramref name="context"/> would build it.</summary>
    /// <returns>The text, ending with a line break.</returns>
    public static string Describe(SimulationModule module, ModuleContext context)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(context);
        var builder = new SimulationBuilder().WithStorage(StorageMode.Snapshot);
        var world = new World();
        using var simulation = module.Build(builder, world, context);

        var text = new StringBuilder();
        AppendModule(text, module);
        AppendComponents(text, module, builder.Systems);
        AppendSystems(text, simulation.Schedule, builder.Systems);
        return text.ToString();
    }

    private static void AppendModule(StringBuilder text, SimulationModule module)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"module: {module.Name}");
        if (module.Description.Length > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {module.Description}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  default entities: {module.DefaultEntities}");
        text.AppendLine("parameters (--param NAME=VALUE):");
        if (module.Parameters.Count == 0)
        {
            text.AppendLine("  none");
        }

        foreach (var parameter in module.Parameters)
        {
            var shape = parameter.Kind switch
            {
                ModuleParameterKind.Flag => string.Create(CultureInfo.InvariantCulture, $"flag, default {(Equals(parameter.DefaultValue, true) ? "true" : "false")}"),
                ModuleParameterKind.WholeNumber => string.Create(CultureInfo.InvariantCulture, $"whole number, default {parameter.DefaultValue}, {parameter.Minimum} to {parameter.Maximum}"),

                // Seven significant digits: a float default such as -9.81 reads as written, not as -9.8100004196167.
                _ => string.Create(CultureInfo.InvariantCulture, $"number, default {Convert.ToDouble(parameter.DefaultValue, CultureInfo.InvariantCulture):G7}, {parameter.Minimum:G7} to {parameter.Maximum:G7}"),
            };
            text.AppendLine(CultureInfo.InvariantCulture, $"  {parameter.Name} ({shape}): {parameter.Description}");
        }
    }

    private static void AppendComponents(StringBuilder text, SimulationModule module, IReadOnlyList<SystemBuilder> systems)
    {
        // The checksum's components first, then any other a system reads or writes, each once.
        var components = new List<ComponentType>(module.ChecksumComponents);
        foreach (var system in systems)
        {
            foreach (var access in system.ComponentWrites.Concat(system.ComponentReads))
            {
                if (!components.Contains(access.Component))
                {
                    components.Add(access.Component);
                }
            }
        }

        text.AppendLine("components:");
        foreach (var component in components)
        {
            var layout = ComponentLayout.Of(component.Type);
            var inChecksum = module.ChecksumComponents.Contains(component) ? ", in the checksum" : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture, $"  {component.Name}: {layout.SizeBytes} byte{(layout.SizeBytes == 1 ? string.Empty : "s")}, aligned to {layout.AlignmentBytes}{inChecksum} ({layout.Name})");
            text.AppendLine(CultureInfo.InvariantCulture, $"    {"field",-20} {"type",-6} {"offset",6} {"size",5}");
            foreach (var field in layout.Fields)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {field.Path,-20} {field.Kind.WireName(),-6} {field.OffsetBytes,6} {field.SizeBytes,5}");
            }
        }
    }

    private static void AppendSystems(StringBuilder text, Schedule schedule, IReadOnlyList<SystemBuilder> systems)
    {
        var byName = systems.ToDictionary(static system => system.Name, StringComparer.Ordinal);
        text.AppendLine("systems (systems of one level run at the same time; a later level waits for the conflicts named):");
        foreach (var stage in schedule.Stages)
        {
            if (stage.LevelSystems.Length == 0)
            {
                continue;
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"  stage {stage.Name}{(stage.RunsOnce ? " (first frame only)" : string.Empty)}");
            for (var level = 0; level < stage.LevelSystems.Length; level++)
            {
                var names = stage.LevelSystems[level].Select(static system => system.Descriptor.Name);
                text.AppendLine(CultureInfo.InvariantCulture, $"    level {level}: {string.Join(", ", names)}");
                foreach (var system in stage.LevelSystems[level])
                {
                    AppendSystem(text, schedule, system, byName[system.Descriptor.Name]);
                }
            }
        }
    }

    private static void AppendSystem(StringBuilder text, Schedule schedule, ScheduledSystem scheduled, SystemBuilder system)
    {
        var descriptor = scheduled.Descriptor;
        var where = system.JobName is { } job
            ? string.Create(CultureInfo.InvariantCulture, $"offloaded: job {job}{(system.JobTicks > 1 ? $", {system.JobTicks} ticks a frame" : string.Empty)}")
            : "in-process";
        text.AppendLine(CultureInfo.InvariantCulture, $"      {descriptor.Name}: {where}");
        AppendNames(text, "reads", descriptor.ComponentReads.Select(static type => type.Name));
        AppendNames(text, "writes", descriptor.ComponentWrites.Select(static type => type.Name));
        var changed = ChangedFilters(system);
        if (changed.Count > 0)
        {
            // Shown because it decides the storage path: such a job runs over a snapshot of its rows in shared storage too.
            var how = system.JobName is null ? string.Empty : " (its job runs over a snapshot of those rows, in either storage)";
            text.AppendLine(CultureInfo.InvariantCulture, $"        only rows changed since it last ran: {string.Join(", ", changed)}{how}");
        }

        foreach (var index in scheduled.ConflictPredecessors)
        {
            var before = schedule.ScheduledSystems[index].Descriptor;
            text.AppendLine(CultureInfo.InvariantCulture, $"        after {before.Name} (conflict: {Conflict(before, descriptor)})");
        }

        foreach (var index in scheduled.ExplicitPredecessors)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"        after {schedule.ScheduledSystems[index].Descriptor.Name} (ordered by Before/After)");
        }
    }

    /// <summary>Why <paramref name="later"/> cannot run beside <paramref name="earlier"/>: the components one writes and the other touches.</summary>
    private static string Conflict(SystemDescriptor earlier, SystemDescriptor later)
    {
        var reasons = new List<string>();
        foreach (var type in earlier.ComponentWrites.Order(TypeNameOrder.Instance))
        {
            if (later.ComponentWrites.Contains(type))
            {
                reasons.Add($"both write {type.Name}");
            }
            else if (later.ComponentReads.Contains(type))
            {
                reasons.Add($"{earlier.Name} writes {type.Name}, which {later.Name} reads");
            }
        }

        foreach (var type in later.ComponentWrites.Order(TypeNameOrder.Instance))
        {
            if (earlier.ComponentReads.Contains(type) && !earlier.ComponentWrites.Contains(type))
            {
                reasons.Add($"{later.Name} writes {type.Name}, which {earlier.Name} reads");
            }
        }

        return reasons.Count > 0 ? string.Join("; ", reasons) : "shared resources";
    }

    /// <summary>The components whose <c>Changed</c> filter the system's query holds, as <c>Changed&lt;T&gt;</c>, by name.</summary>
    private static List<string> ChangedFilters(SystemBuilder system)
    {
        var query = SystemWiring.QueryOf(system, new World());
        var names = new List<string>();
        foreach (var id in query.ChangedIds)
        {
            names.Add($"Changed<{ComponentType.FromId(id).Name}>");
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static void AppendNames(StringBuilder text, string label, IEnumerable<string> names)
    {
        var sorted = names.Order(StringComparer.Ordinal).ToList();
        if (sorted.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"        {label} {string.Join(", ", sorted)}");
        }
    }

    private sealed class TypeNameOrder : IComparer<Type>
    {
        public static readonly TypeNameOrder Instance = new();

        public int Compare(Type? x, Type? y) => StringComparer.Ordinal.Compare(x?.Name, y?.Name);
    }
}
