using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Scheduling;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Running;

/// <summary>
/// Builds a module's systems once on an empty world, before any worker starts or any entity is seeded: a module whose
/// systems cannot be built (a job name no loaded assembly has, an offloaded system that writes nothing, a cycle of
/// before/after edges) is the user's to fix. <see cref="SimulationModule.AddSystems"/> runs once more for it, which its
/// contract allows (it only declares systems), so it is one line and exit 2 at once, not exit 1 after the workers'
/// start and a seeding that may take seconds.
/// </summary>
internal static class ModuleSystemsCheck
{
    /// <summary>Adds the module's systems to a builder of <paramref name="catalog"/>'s jobs and builds them on an empty world.</summary>
    /// <exception cref="UsageException">The systems cannot be built; the message says why.</exception>
    public static void Ensure(SimulationModule module, ModuleContext context, JobCatalog catalog, RunDirectory runDirectory)
    {
        // Snapshot storage over an empty world maps no shared memory; the run builds again with its own storage. The
        // run's own directory, so that nothing is created anywhere else.
        var builder = new SimulationBuilder().WithJobs(catalog).WithStorage(StorageMode.Snapshot).WithRunDirectory(runDirectory);
        module.AddSystems(builder, context);
        try
        {
            using var simulation = builder.Build(new World());
        }
        catch (Exception exception) when (IsBuildError(exception))
        {
            throw CannotBeBuilt(module, exception);
        }
    }

    /// <summary>Whether <paramref name="exception"/> says the module's systems cannot be built (the user's to fix).</summary>
    public static bool IsBuildError(Exception exception) => exception is SimulationBuildException or ScheduleValidationException;

    /// <summary>The one line for a module whose systems cannot be built, as run and describe give it.</summary>
    public static UsageException CannotBeBuilt(SimulationModule module, Exception exception) =>
        new($"module {module.Name} cannot be built: {ScenarioRun.OneLine(exception.Message)}", exception);
}
