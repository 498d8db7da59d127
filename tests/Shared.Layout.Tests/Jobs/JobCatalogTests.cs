using SimHost.Layout.Components;
using SimHost.Layout.Jobs;

namespace SimHost.Tests.SharedLayout.Jobs;

public sealed class JobCatalogTests
{
    [Test]
    public void FromAssemblies_FindsPublicJobs_AndTheirComponentLayouts()
    {
        var catalog = JobCatalog.FromAssemblies([typeof(DoubleHeatJob).Assembly]);

        Assert.That(catalog.TryGet("test.double-heat", out var job), Is.True);
        Assert.That(job, Is.InstanceOf<DoubleHeatJob>());
        Assert.That(catalog.Names, Does.Contain("test.double-heat"));
        Assert.That(catalog.ComponentLayouts, Does.Contain(ComponentLayout.Of<Heat>()).And.Contain(ComponentLayout.Of<Mass>()));
        Assert.That(catalog.TryGet("no.such.job", out _), Is.False);
    }

    [Test]
    public void FromTypes_RefusesTwoJobsWithOneName()
    {
        Assert.That(
            () => JobCatalog.FromTypes([typeof(NamedTwiceA), typeof(NamedTwiceB)]),
            Throws.TypeOf<JobCatalogException>().With.Message.Contains("Two jobs are named 'twice'"));
    }

    [Test]
    public void FromTypes_ReportsAThrowingConstructor()
    {
        Assert.That(
            () => JobCatalog.FromTypes([typeof(ThrowsWhenCreated)]),
            Throws.TypeOf<JobCatalogException>().With.Message.Contains("threw from its constructor"));
    }

    [Test]
    public void FromTypes_RefusesAComponentThatCannotBeShared()
    {
        Assert.That(
            () => JobCatalog.FromTypes([typeof(UsesAString)]),
            Throws.TypeOf<JobCatalogException>().With.Message.Contains("uses-a-string"));
    }

    [Test]
    public void LoadAssembly_OfAFileThatIsNoAssembly_SaysSo()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a dll");
            Assert.That(
                () => JobCatalog.LoadAssembly(path),
                Throws.TypeOf<JobCatalogException>().With.Message.Contains(path).And.Message.Contains("could not be loaded"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void LoadAssembly_OfAMissingFile_SaysSo() =>
        Assert.That(() => JobCatalog.LoadAssembly("/no/such/jobs.dll"), Throws.TypeOf<JobCatalogException>().With.Message.Contains("/no/such/jobs.dll"));

    internal sealed class NamedTwiceA : IJob
    {
        public string Name => "twice";

        public IReadOnlyList<Type> ComponentTypes => [];

        public void Execute(JobContext context)
        {
        }
    }

    internal sealed class NamedTwiceB : IJob
    {
        public string Name => "twice";

        public IReadOnlyList<Type> ComponentTypes => [];

        public void Execute(JobContext context)
        {
        }
    }

    internal sealed class ThrowsWhenCreated : IJob
    {
        public ThrowsWhenCreated() => throw new InvalidOperationException("no");

        public string Name => "throws";

        public IReadOnlyList<Type> ComponentTypes => [];

        public void Execute(JobContext context)
        {
        }
    }

    internal sealed class UsesAString : IJob
    {
        public string Name => "uses-a-string";

        public IReadOnlyList<Type> ComponentTypes => [typeof(string)];

        public void Execute(JobContext context)
        {
        }
    }
}
