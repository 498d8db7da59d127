using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Running;
using SimHost.Host.Simulation;

namespace SimHost.Tests.Host.Running;

/// <summary>
/// Module parameter errors through the CLI's seam (<see cref="ModuleSelection.Context"/>, behind <c>run</c> and
/// <c>describe</c>) quote the <c>--param</c> the user typed; the same assignment from a program's
/// <c>ModuleContext.For</c> names that call instead.
/// </summary>
public sealed class ModuleSelectionTests
{
    private static readonly HerdModule s_module = new();

    [TestCase("herd=abc", "--param herd=abc: herd is a whole number from 1 to 10000000")]
    [TestCase("herd=0", "--param herd=0: herd is a whole number from 1 to 10000000")]
    [TestCase("growth=-0.1", "--param growth=-0.1: growth is a number from 0 to 10")]
    [TestCase("calving=yes", "--param calving=yes: calving is true or false")]
    [TestCase("herd", "--param herd: write NAME=VALUE, e.g. --param herd=50000")]
    [TestCase("=5", "--param =5: write NAME=VALUE, e.g. --param herd=50000")]
    [TestCase("hrd=5", "module 'herd' has no parameter 'hrd'; it has: herd (whole number, default 50000), growth (number, default 0.5), calving (true/false, default true)")]
    public void ABadParam_IsAUsageErrorQuotingTheFlag(string assignment, string message)
    {
        var error = Assert.Throws<UsageException>(() => ModuleSelection.Context(s_module, seed: 1, entities: null, [assignment], ticksPerFrame: 1));

        Assert.That(error!.Message, Is.EqualTo(message));
    }

    [Test]
    public void AParamGivenTwice_IsAUsageErrorQuotingTheFlag()
    {
        var error = Assert.Throws<UsageException>(() => ModuleSelection.Context(s_module, seed: 1, entities: null, ["herd=5", "herd=6"], ticksPerFrame: 1));

        Assert.That(error!.Message, Is.EqualTo("--param herd is given twice; give each parameter once"));
    }

    [Test]
    public void TheSameAssignmentFromAProgram_NamesTheCallAndNotTheFlag()
    {
        var error = Assert.Throws<ModuleParameterException>(() => ModuleContext.For(s_module, parameters: ["herd=abc"]));

        Assert.That(error!.Message, Is.EqualTo("ModuleContext.For: parameter 'herd' is a whole number from 1 to 10000000, not 'abc'"));
    }

    [Test]
    public void GoodParams_GiveTheContext()
    {
        var context = ModuleSelection.Context(s_module, seed: 3, entities: 10, ["herd=9", "calving=false"], ticksPerFrame: 2);

        Assert.Multiple(() =>
        {
            Assert.That(context.Parameters.GetInt32("herd"), Is.EqualTo(9));
            Assert.That(context.Parameters.GetBoolean("calving"), Is.False);
            Assert.That(context.Parameters.GetDouble("growth"), Is.EqualTo(0.5), "the default");
            Assert.That((context.Seed, context.Entities, context.TicksPerFrame), Is.EqualTo((3UL, 10, 2)));
        });
    }

    [TestCase(2_147_483_648L)]
    [TestCase(5_000_000_000L)]
    [TestCase(300_000_000L)]
    [TestCase(long.MaxValue)]
    public void EntitiesPastTheModulesLimit_NameItsWidestComponentAndItsLimit_AtEveryCount(long entities)
    {
        var error = Assert.Throws<UsageException>(() => ModuleSelection.Context(s_module, seed: 1, entities, [], ticksPerFrame: 1));

        // Size is 4 bytes a row: the entity column's 8-byte handles set the bound (268435392 rows), not the particles' Position.
        var reserved = decimal.Ceiling(entities / 64m) * 64;
        Assert.That(error!.Message, Is.EqualTo($"--entities {entities} is too many: the entity column would need {reserved * 8} bytes (8 bytes a row, rows reserved in blocks of 64), over the 2147483647-byte (2 GiB) limit of one column; give at most 268435392."));
    }

    [Test]
    public void AProjectGivenAsTheModule_SaysToBuildItAndGiveTheDll()
    {
        var project = Path.Combine(Path.GetTempPath(), $"simhost-module-{Guid.NewGuid():N}.csproj");
        File.WriteAllText(project, "<Project />");
        try
        {
            var error = Assert.Throws<UsageException>(() => ModuleSelection.Load(project));

            Assert.That(error!.Message, Is.EqualTo($"--module '{project}' is a project, not a built module; build it (dotnet build -c Release) and give the .dll it makes, e.g. bin/Release/net10.0/{Path.GetFileNameWithoutExtension(project)}.dll."));
        }
        finally
        {
            File.Delete(project);
        }
    }

    /// <summary>A size.</summary>
    public struct Size
    {
        /// <summary>Metres.</summary>
        public float Value;
    }

    private sealed class HerdModule : SimulationModule
    {
        public override string Name => "herd";

        public override IReadOnlyList<System.Reflection.Assembly> JobAssemblies => [];

        public override IReadOnlyList<ModuleParameter> Parameters { get; } =
        [
            ModuleParameter.WholeNumber("herd", 50_000, 1, 10_000_000, "grazers at the start"),
            ModuleParameter.Number("growth", 0.5, 0, 10, "grass growth per second"),
            ModuleParameter.Flag("calving", true, "whether grazers calve"),
        ];

        public override IReadOnlyList<ComponentType> ChecksumComponents => [ComponentType.Of<Size>()];

        public override void Seed(World world, ModuleContext context) => world.Create(new Size());

        public override void AddSystems(SimulationBuilder builder, ModuleContext context)
        {
        }
    }
}
