using System.Runtime.Loader;
using SimHost.Layout.Jobs;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;
using SimHost.Tests.JobsWithDependency;

namespace SimHost.Tests.Host.Jobs;

/// <summary>
/// A job assembly loaded by path brings its own NuGet dependencies (resolved through its deps.json in its output
/// folder) and shares the contract and the components with the host; what cannot load is reported by code.
/// </summary>
[TestFixture]
public sealed class JobAssemblyLoadingTests
{
    [Test]
    public void Load_ResolvesTheJobAssemblysOwnDependency_FromItsOutputFolder()
    {
        var built = DependencyJobsFolder.Built();

        var catalog = JobCatalog.Load([typeof(PhysicsStepJob).Assembly], [built.AssemblyPath]);

        Assert.That(catalog.TryGet(DependencyJobNames.MathNetDrift, out var job), Is.True, "the MathNet job is in the catalog");
        var context = AssemblyLoadContext.GetLoadContext(job!.GetType().Assembly)!;
        var mathNet = context.Assemblies.SingleOrDefault(a => a.GetName().Name == "MathNet.Numerics");
        Assert.Multiple(() =>
        {
            Assert.That(context, Is.Not.SameAs(AssemblyLoadContext.Default), "loaded in its own context");
            Assert.That(mathNet, Is.Not.Null, "MathNet.Numerics was loaded with the job assembly, not at its first use");
            Assert.That(Path.GetDirectoryName(mathNet?.Location), Is.EqualTo(built.Folder), "from the job assembly's own folder");
            Assert.That(catalog.Names, Does.Contain(DependencyJobNames.HashingJitter));
            Assert.That(catalog.LoadFailures, Is.Empty);
        });
    }

    [Test]
    public void Load_SharesTheContractAndTheComponentsWithTheHost()
    {
        var catalog = JobCatalog.Load([], [DependencyJobsFolder.BuiltAssemblyPath]);

        catalog.TryGet(DependencyJobNames.MathNetDrift, out var job);
        var context = AssemblyLoadContext.GetLoadContext(job!.GetType().Assembly)!;
        Assert.Multiple(() =>
        {
            Assert.That(job.ComponentTypes, Is.EqualTo(new[] { typeof(Position), typeof(Velocity) }), "the host's Position and Velocity");
            Assert.That(context.Assemblies.Select(a => a.GetName().Name), Has.None.EqualTo("SimHost.Layout"), "IJob comes from the host");
            Assert.That(context.Assemblies.Select(a => a.GetName().Name), Has.None.EqualTo("SimHost.Physics"), "components come from the host");
        });
    }

    [Test]
    public void LoadAssembly_Twice_GivesTheSameAssembly()
    {
        var first = JobCatalog.LoadAssembly(DependencyJobsFolder.BuiltAssemblyPath);
        var second = JobCatalog.LoadAssembly(DependencyJobsFolder.BuiltAssemblyPath);

        Assert.That(second, Is.SameAs(first));
    }

    [Test]
    public void Load_RefusesAnAssemblyWhoseDependencyIsMissing_NamingTheDependency()
    {
        using var copy = DependencyJobsFolder.CopyWithout("MathNet.Numerics.dll");

        Assert.That(
            () => JobCatalog.Load([], [copy.AssemblyPath]),
            Throws.TypeOf<JobCatalogException>().With.Message.Contains("MathNet.Numerics").And.Message.Contains(copy.AssemblyPath));
    }

    [Test]
    public void LoadEach_ReportsAMissingDependency_AndKeepsTheOtherJobs()
    {
        using var copy = DependencyJobsFolder.CopyWithout("MathNet.Numerics.dll");

        var catalog = JobCatalog.LoadEach([typeof(PhysicsStepJob).Assembly], [copy.AssemblyPath]);

        Assert.Multiple(() =>
        {
            Assert.That(catalog.Names, Does.Contain(PhysicsStepJob.JobName));
            Assert.That(catalog.Names, Has.None.StartsWith("deps."));
            Assert.That(catalog.LoadFailures, Has.Count.EqualTo(1));
            Assert.That(catalog.LoadFailures[0].Error, Is.EqualTo(JobLoadError.DependencyMissing));
            Assert.That(catalog.LoadFailures[0].AssemblyPath, Is.EqualTo(copy.AssemblyPath));
            Assert.That(catalog.LoadFailures[0].Detail, Does.Contain("MathNet.Numerics"));
        });
    }

    [Test]
    public void LoadEach_ReportsAMissingAssemblyFile()
    {
        var catalog = JobCatalog.LoadEach([], ["/no/such/jobs.dll"]);

        Assert.That(catalog.LoadFailures.Select(f => (f.Error, f.AssemblyPath)), Is.EqualTo(new[] { (JobLoadError.AssemblyMissing, "/no/such/jobs.dll") }));
    }

    [Test]
    public void LoadEach_ReportsAFileThatIsNotAnAssembly()
    {
        using var copy = DependencyJobsFolder.CopyWithout();
        File.WriteAllText(copy.AssemblyPath, "not an assembly");

        var catalog = JobCatalog.LoadEach([], [copy.AssemblyPath]);

        Assert.That(catalog.LoadFailures.Select(f => f.Error), Is.EqualTo(new[] { JobLoadError.AssemblyInvalid }));
    }

    [Test]
    public void LoadEach_ReportsDuplicateNames_KeepingTheFirst()
    {
        // A second copy in another folder loads into a context of its own, with jobs of the same names.
        using var copy = DependencyJobsFolder.CopyWithout();

        var catalog = JobCatalog.LoadEach([], [DependencyJobsFolder.BuiltAssemblyPath, copy.AssemblyPath]);

        catalog.TryGet(DependencyJobNames.MathNetDrift, out var kept);
        Assert.Multiple(() =>
        {
            Assert.That(catalog.LoadFailures.Select(f => (f.Error, f.JobName)), Is.EquivalentTo(new[]
            {
                (JobLoadError.DuplicateName, DependencyJobNames.MathNetDrift),
                (JobLoadError.DuplicateName, DependencyJobNames.HashingJitter),
            }));
            Assert.That(kept!.GetType().Assembly.Location, Is.EqualTo(DependencyJobsFolder.BuiltAssemblyPath));
        });
    }
}
