using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Simulation;

namespace SimHost.Tests.Host.Running;

/// <summary>A module of this test assembly that seeds nothing, adds no systems and brings no jobs of its own.</summary>
internal sealed class EmptyTestModule : SimulationModule
{
    public override string Name => "empty";

    public override IReadOnlyList<System.Reflection.Assembly> JobAssemblies => [];

    public override IReadOnlyList<ComponentType> ChecksumComponents => [];

    public override void Seed(World world, ModuleContext context)
    {
    }

    public override void AddSystems(SimulationBuilder builder, ModuleContext context)
    {
    }
}
