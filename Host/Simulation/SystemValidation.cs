using SimHost.Host.Offload;
using SimHost.Layout.Jobs;

namespace SimHost.Host.Simulation;

/// <summary>The checks <see cref="SimulationBuilder.Build"/> makes of each declared system before anything is allocated.</summary>
internal static class SystemValidation
{
    public static void Validate(SystemBuilder system, JobCatalog catalog, List<string> problems)
    {
        if (system.Work is null && system.JobName is null)
        {
            problems.Add($"System '{system.Name}' has no work: call Run(...) or Offload(...).");
            return;
        }

        if (system.Work is not null && system.JobName is not null)
        {
            problems.Add($"System '{system.Name}' both runs in-process and offloads job '{system.JobName}'; choose one.");
            return;
        }

        if (system.JobName is not null && system.UsesAllThreadsDeclared)
        {
            problems.Add($"System '{system.Name}' offloads job '{system.JobName}' but declares UsesAllThreads(), which is for in-process work; drop UsesAllThreads() (an offloaded job's ranges are split over the workers or host threads already).");
        }

        if (system.JobName is not { } jobName)
        {
            if (system.JobTicks != 1)
            {
                problems.Add($"System '{system.Name}' asks for {system.JobTicks} ticks per frame, but only offloaded systems run several ticks; call Offload(...) or drop Ticks(...).");
            }

            return;
        }

        if (!catalog.TryGet(jobName, out var job))
        {
            var known = catalog.Names.Count == 0 ? "none" : string.Join(", ", catalog.Names);
            problems.Add($"System '{system.Name}' offloads job '{jobName}', which no loaded job assembly has (known jobs: {known}).");
            return;
        }

        if (system.ComponentWrites.Count is 0 or > SnapshotColumns.MaxWrittenComponents)
        {
            problems.Add($"Offloaded system '{system.Name}' writes {system.ComponentWrites.Count} components; it must write 1..{SnapshotColumns.MaxWrittenComponents}.");
        }

        foreach (var type in job.ComponentTypes)
        {
            if (!Declares(system, type))
            {
                problems.Add($"Offloaded system '{system.Name}' runs job '{jobName}', which uses {type.Name}; declare Reads<{type.Name}>() or Writes<{type.Name}>().");
            }
        }
    }

    public static bool Declares(SystemBuilder system, Type type)
    {
        foreach (var access in system.ComponentWrites)
        {
            if (access.Component.Type == type)
            {
                return true;
            }
        }

        foreach (var access in system.ComponentReads)
        {
            if (access.Component.Type == type)
            {
                return true;
            }
        }

        return false;
    }
}
