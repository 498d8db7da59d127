using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Simulation;

namespace SimHost.Tests.HangingModule;

/// <summary>A few entities and one offloaded system whose job (<see cref="HangJob"/>) never returns.</summary>
public sealed class HangingModule : SimulationModule
{
    /// <inheritdoc/>
    public override string Name => "hanging";

    /// <inheritdoc/>
    public override string Description => "one offloaded job that never returns";

    /// <inheritdoc/>
    public override int DefaultEntities => 100;

    /// <inheritdoc/>
    public override IReadOnlyList<ModuleParameter> Parameters { get; } =
        [ModuleParameter.Flag("misnamed", false, "offload a job name no assembly has, so the module's systems cannot be built")];

    /// <inheritdoc/>
    public override IReadOnlyList<ComponentType> ChecksumComponents => [ComponentType.Of<Stuck>()];

    /// <inheritdoc/>
    public override void Seed(World world, ModuleContext context)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(context);
        world.Register<Stuck>();
        for (var i = 0; i < context.Entities; i++)
        {
            world.Create(new Stuck(i));
        }
    }

    /// <inheritdoc/>
    public override void AddSystems(SimulationBuilder builder, ModuleContext context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Parameters.GetBoolean("misnamed") ? HangJob.JobName + "-misnamed" : HangJob.JobName;
        builder.AddSystem("hang", system => system.Writes<Stuck>().Offload(job));
    }
}
