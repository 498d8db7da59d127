using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Simulation;

namespace SimHost.Tests.Samples.Modules;

/// <summary>A module with one parameter of each kind, for the parameter rules. With <see cref="EmptyModule"/> it makes this assembly one with two modules.</summary>
public sealed class HerdTestModule : SimulationModule
{
    public override string Name => "herd-test";

    public override IReadOnlyList<ModuleParameter> Parameters { get; } =
    [
        ModuleParameter.WholeNumber("herd", 50_000, 1, 10_000_000, "grazers at the start"),
        ModuleParameter.Number("growth", 0.5, 0, 10, "grass per second"),
        ModuleParameter.Flag("calving", true, "whether grazers calve"),
    ];

    public override IReadOnlyList<ComponentType> ChecksumComponents => [];

    public override void Seed(World world, ModuleContext context)
    {
    }

    public override void AddSystems(SimulationBuilder builder, ModuleContext context)
    {
    }
}

/// <summary>A module with no parameters.</summary>
public sealed class EmptyModule : SimulationModule
{
    public override string Name => "empty";

    public override IReadOnlyList<ComponentType> ChecksumComponents => [];

    public override void Seed(World world, ModuleContext context)
    {
    }

    public override void AddSystems(SimulationBuilder builder, ModuleContext context)
    {
    }
}
