using SimHost.Host.Cli;
using SimHost.Host.Offload;
using SimHost.Host.Running;
using SimHost.Layout.Jobs;
using SimHost.Physics;
using SimHost.Physics.Jobs;

namespace SimHost.Tests.Host.Running;

/// <summary>An error about a job names the flag that brought the job into the run: the one the user typed.</summary>
public sealed class JobSourceTests
{
    private static readonly JobCatalog s_catalog = JobCatalog.FromAssemblies([typeof(PhysicsStepJob).Assembly]);
    private static readonly string s_jobAssembly = typeof(PhysicsStepJob).Assembly.Location;
    private static readonly ParticlesModule s_particles = new();

    [Test]
    public void AJobOfAJobAssembly_IsBlamedOnJobAssembly()
    {
        var settings = new RunSettings { ModulePath = "Grazers.dll", JobAssemblies = [s_jobAssembly] };

        Assert.That(JobSource.FlagFor(s_catalog, PhysicsStepJob.JobName, settings, s_particles), Is.EqualTo("--job-assembly"));
    }

    [Test]
    public void AJobOfTheModule_IsBlamedOnModule_NotOnAJobAssemblyFlagNeverGiven()
    {
        var settings = new RunSettings { ModulePath = "Grazers.dll" };
        var failure = new JobUnavailableException(PhysicsStepJob.JobName, 0, "job 'physics.step' cannot run on worker 0: could not create it");

        var error = JobSource.Unavailable(s_catalog, failure, settings, s_particles);

        Assert.That(error.Message, Is.EqualTo("--module: job 'physics.step' cannot run on worker 0: could not create it"));
    }

    [Test]
    public void ABuiltInJob_IsBlamedOnTheWorkers()
    {
        var settings = new RunSettings { Workers = 2 };

        Assert.That(JobSource.FlagFor(s_catalog, PhysicsStepJob.JobName, settings, s_particles), Is.EqualTo("--workers 2"));
    }

    [Test]
    public void AJobNeitherTheModuleNorAJobAssemblyBrought_IsBlamedOnTheWorkers_EvenWithAModule()
    {
        var settings = new RunSettings { ModulePath = "Grazers.dll", Workers = 3 };

        Assert.That(JobSource.FlagFor(s_catalog, PhysicsStepJob.JobName, settings, new EmptyTestModule()), Is.EqualTo("--workers 3"));
    }
}
