using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Running;
using SimHost.Host.Simulation;

namespace SimHost.Tests.Host.Running;

/// <summary><c>simhost describe</c>'s levels: systems that conflict are in different levels, and the conflict is named.</summary>
public sealed class ModuleDescriptionTests
{
    [Test]
    public void Describe_PutsAReaderAfterTheWriter_AndNamesTheConflict()
    {
        var module = new HeatModule();
        var text = ModuleDescription.Describe(module, ModuleContext.For(module));
        var lines = text.Split('\n').Select(static line => line.TrimEnd()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(lines, Does.Contain("    level 0: warm, glow"));
            Assert.That(lines, Does.Contain("    level 1: measure"));
            Assert.That(lines, Does.Contain("      measure: in-process"));
            Assert.That(lines, Does.Contain("        after warm (conflict: warm writes Heat, which measure reads)"));
            Assert.That(lines, Does.Contain("  Light: 8 bytes, aligned to 4 (SimHost.Tests.Host.Running.ModuleDescriptionTests+Light)"));
        });
    }

    [Test]
    public void Describe_ShowsAChangedFilter_AndATagsOneByte()
    {
        var module = new FilteredModule();
        var text = ModuleDescription.Describe(module, ModuleContext.For(module));
        var lines = text.Split('\n').Select(static line => line.TrimEnd()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(lines, Does.Contain("        only rows changed since it last ran: Changed<Heat>"));
            Assert.That(lines.Count(static line => line.Contains("only rows changed", StringComparison.Ordinal)), Is.EqualTo(1), "only the filtered system");
            Assert.That(lines, Does.Contain("  Burning: 1 byte, aligned to 1 (SimHost.Tests.Host.Running.ModuleDescriptionTests+Burning)"));
        });
    }

    /// <summary>A tag: no fields.</summary>
    public struct Burning;

    /// <summary>A temperature.</summary>
    public struct Heat
    {
        /// <summary>Degrees.</summary>
        public float Value;
    }

    /// <summary>Brightness and hue.</summary>
    public struct Light
    {
        /// <summary>Brightness.</summary>
        public float Brightness;

        /// <summary>Hue.</summary>
        public int Hue;
    }

    private sealed class HeatModule : SimulationModule
    {
        public override string Name => "heat";

        public override IReadOnlyList<System.Reflection.Assembly> JobAssemblies => [];

        public override IReadOnlyList<ComponentType> ChecksumComponents => [ComponentType.Of<Heat>()];

        public override void Seed(World world, ModuleContext context) => world.Create(new Heat(), new Light());

        public override void AddSystems(SimulationBuilder builder, ModuleContext context)
        {
            builder.AddSystem("warm", system => system.Writes<Heat>().Run(_ => { }));
            builder.AddSystem("glow", system => system.Writes<Light>().Run(_ => { }));
            builder.AddSystem("measure", system => system.Reads<Heat>().Run(_ => { }));
        }
    }

    private sealed class FilteredModule : SimulationModule
    {
        public override string Name => "filtered";

        public override IReadOnlyList<System.Reflection.Assembly> JobAssemblies => [];

        public override IReadOnlyList<ComponentType> ChecksumComponents => [ComponentType.Of<Heat>()];

        public override void Seed(World world, ModuleContext context) => world.Create(new Heat(), new Burning());

        public override void AddSystems(SimulationBuilder builder, ModuleContext context)
        {
            builder.AddSystem("warm", system => system.Writes<Heat>().Run(_ => { }));
            builder.AddSystem("ignite", system => system.Reads<Heat>().Writes<Burning>().Query(static query => query.Changed<Heat>()).Run(_ => { }));
        }
    }
}
