using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.SharedStorage;
using SimHost.Physics;
using SimHost.Tests.Samples.Support;

namespace SimHost.Tests.Samples.Samples;

/// <summary>
/// Each sample module run through the library in-process, on one worker and on two, in shared and snapshot storage:
/// one checksum per module (docs/contract.md rule 11), with every range run where it was sent.
/// </summary>
[NonParallelizable]
public sealed class SampleModuleTests
{
    private const double Dt = 1.0 / 30;

    /// <summary>Long enough for grazers to be born and to starve: the command buffer changes the world's structure.</summary>
    private const int GrazerFrames = 120;

    private const int ParticleFrames = 40;

    private const int GrazerHerd = 1500;
    private static readonly string[] s_grazerParameters = ["field=40"];
    private static readonly string[] s_grazerParameterNames = ["field", "grass-growth", "birth-energy"];
    private static readonly Lazy<ModuleRunResult> s_grazersReference = new(() => RunGrazers(0, StorageMode.Snapshot).GetAwaiter().GetResult());
    private static readonly Lazy<ModuleRunResult> s_particlesReference = new(() => RunParticles(0, StorageMode.Snapshot).GetAwaiter().GetResult());

    [TestCase(0, StorageMode.Shared)]
    [TestCase(1, StorageMode.Snapshot)]
    [TestCase(1, StorageMode.Shared)]
    [TestCase(2, StorageMode.Snapshot)]
    [TestCase(2, StorageMode.Shared)]
    public async Task Grazers_GiveOneChecksum_ForEveryWorkerCountAndStorageMode(int workers, StorageMode storage)
    {
        var result = await RunGrazers(workers, storage);

        Assert.Multiple(() =>
        {
            Assert.That(result.Checksum, Is.EqualTo(s_grazersReference.Value.Checksum));
            Assert.That(result.EntityCount, Is.EqualTo(s_grazersReference.Value.EntityCount));
            Assert.That(result.RangesFailed, Is.Zero, "every range ran on the worker it was sent to");
        });
    }

    [Test]
    public void Grazers_AreBornAndStarve_ThroughTheCommandBuffer()
    {
        // 40 × 40 cells and 1,500 grazers (--entities) at the start: the herd size has changed by the end.
        var grazers = s_grazersReference.Value.EntityCount - (40 * 40);

        Assert.That(grazers, Is.Not.EqualTo(GrazerHerd));
    }

    [Test]
    public void Grazers_SeedContextEntitiesGrazers_WithTheFieldsCellsOnTop()
    {
        // The walkthrough's defect: --entities was ignored and a 'herd' parameter sized the herd instead.
        var module = ModuleLoader.Load(SamplePaths.GrazersModule);
        var world = new World();

        module.Seed(world, new ModuleContext { Entities = 700, Parameters = ModuleParameters.Parse(module, ["field=16"]) });

        Assert.That(world.EntityCount, Is.EqualTo(700 + (16 * 16)));
    }

    [Test]
    public void Grazers_DefaultEntities_IsTheDefaultHerd_AndNoParameterSizesTheHerd()
    {
        var module = ModuleLoader.Load(SamplePaths.GrazersModule);

        Assert.Multiple(() =>
        {
            Assert.That(module.DefaultEntities, Is.EqualTo(50_000), "describe's 'default entities' and a run without --entities");
            Assert.That(ModuleContext.For(module).Entities, Is.EqualTo(50_000));
            Assert.That(module.Parameters.Select(p => p.Name), Is.EqualTo(s_grazerParameterNames));
            Assert.That(module.Description, Does.Contain("--entities is the starting herd"));
        });
    }

    [Test]
    public async Task Grazers_RegrowJob_UsesMathNetOnTheWorkers_WithoutFallingBack()
    {
        var mapped = new List<bool>();
        var result = await RunGrazers(2, StorageMode.Shared, workerIds =>
        {
            foreach (var pid in workerIds)
            {
                mapped.Add(File.ReadAllText($"/proc/{pid}/maps").Contains("MathNet.Numerics.dll", StringComparison.Ordinal));
            }
        });

        Assert.Multiple(() =>
        {
            Assert.That(result.RangesFailed, Is.Zero);
            Assert.That(result.WorkerProcessIds, Has.Count.EqualTo(2));
            Assert.That(mapped, Has.All.True, "each worker loaded MathNet.Numerics from the module's folder");
            Assert.That(result.Checksum, Is.EqualTo(s_grazersReference.Value.Checksum));
        });
    }

    [TestCase(0, StorageMode.Shared)]
    [TestCase(1, StorageMode.Snapshot)]
    [TestCase(1, StorageMode.Shared)]
    [TestCase(2, StorageMode.Snapshot)]
    [TestCase(2, StorageMode.Shared)]
    public async Task Particles_GiveOneChecksum_ForEveryWorkerCountAndStorageMode(int workers, StorageMode storage)
    {
        var result = await RunParticles(workers, storage);

        Assert.Multiple(() =>
        {
            Assert.That(result.Checksum, Is.EqualTo(s_particlesReference.Value.Checksum));
            Assert.That(result.RangesFailed, Is.Zero);
        });
    }

    [Test]
    public void Particles_AreTheModuleSimhostRunRuns_WithItsDefaults()
    {
        var module = new ParticlesModule();

        Assert.Multiple(() =>
        {
            Assert.That(module.Name, Is.EqualTo("particles"));
            Assert.That(module.DefaultEntities, Is.EqualTo(100_000));
            Assert.That(module.JobAssemblyPaths(), Is.EqualTo(new[] { typeof(SimHost.Physics.Jobs.PhysicsStepJob).Assembly.Location }));
            Assert.That(ParticlesModule.Constants(ModuleParameters.Defaults(module)), Is.EqualTo(PhysicsParameters.Default));
        });
    }

    private static Task<ModuleRunResult> RunGrazers(int workers, StorageMode storage, Action<IReadOnlyList<int>>? whileRunning = null)
    {
        var module = ModuleLoader.Load(SamplePaths.GrazersModule);
        return ModuleRun.RunAsync(module, ModuleContext.For(module, seed: 3, entities: GrazerHerd, parameters: s_grazerParameters), workers, storage, GrazerFrames, Dt, whileRunning);
    }

    private static Task<ModuleRunResult> RunParticles(int workers, StorageMode storage)
    {
        var module = new ParticlesModule();
        return ModuleRun.RunAsync(module, ModuleContext.For(module, seed: 5, entities: 5000), workers, storage, ParticleFrames, 1.0 / 64);
    }
}
