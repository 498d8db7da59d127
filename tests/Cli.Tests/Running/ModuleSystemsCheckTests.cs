using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Running;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;

namespace SimHost.Tests.Host.Running;

/// <summary>A module whose systems cannot be built is refused before any worker starts or any entity is seeded.</summary>
public sealed class ModuleSystemsCheckTests
{
    private static readonly JobCatalog s_catalog = JobCatalog.Load([typeof(PhysicsStepJob).Assembly], []);
    private RunDirectory _runDirectory = null!;

    [SetUp]
    public void CreateRunDirectory() => _runDirectory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void RemoveRunDirectory() => _runDirectory.Dispose();

    [Test]
    public void AJobNameNoAssemblyHas_IsAUsageError_NamingTheSystemAndTheKnownJobs()
    {
        var module = new TypoModule();

        var refusal = Assert.Throws<UsageException>(() => ModuleSystemsCheck.Ensure(module, ModuleContext.For(module), s_catalog, _runDirectory));

        Assert.Multiple(() =>
        {
            Assert.That(refusal!.Message, Does.StartWith("module typo cannot be built: System 'move' offloads job 'physics.stpe'"));
            Assert.That(refusal.Message, Does.Contain("physics.step"), "the known jobs are listed");
            Assert.That(module.Seeded, Is.False, "nothing was seeded for the check");
        });
    }

    [Test]
    public void ACycleOfBeforeAndAfterEdges_IsAUsageError()
    {
        var module = new TypoModule { Job = "physics.step", HasCycle = true };

        var refusal = Assert.Throws<UsageException>(() => ModuleSystemsCheck.Ensure(module, ModuleContext.For(module), s_catalog, _runDirectory));

        Assert.That(refusal!.Message, Does.StartWith("module typo cannot be built: ").And.Contain("move").And.Contain("log"));
    }

    [Test]
    public void ModuleWhoseSystemsBuild_PassesWithoutSeeding()
    {
        var module = new TypoModule { Job = "physics.step" };

        Assert.That(() => ModuleSystemsCheck.Ensure(module, ModuleContext.For(module), s_catalog, _runDirectory), Throws.Nothing);
        Assert.That(module.Seeded, Is.False);
    }

    private sealed class TypoModule : SimulationModule
    {
        public string Job { get; init; } = "physics.stpe";

        public bool Seeded { get; private set; }

        public override string Name => "typo";

        public override IReadOnlyList<System.Reflection.Assembly> JobAssemblies => [typeof(PhysicsStepJob).Assembly];

        public override IReadOnlyList<ComponentType> ChecksumComponents => [ComponentType.Of<Position>()];

        public override void Seed(World world, ModuleContext context)
        {
            Seeded = true;
            world.Create(new Position(), new Velocity());
        }

        public bool HasCycle { get; init; }

        public override void AddSystems(SimulationBuilder builder, ModuleContext context)
        {
            builder.AddSystem("move", system => system.Writes<Position>().Writes<Velocity>().Offload(Job, SimHost.Physics.PhysicsParameters.Default.ToBytes()));
            if (HasCycle)
            {
                builder.AddSystem("log", system => system.Reads<Position>().Before("move").After("move").Run(_ => { }));
            }
        }
    }
}
