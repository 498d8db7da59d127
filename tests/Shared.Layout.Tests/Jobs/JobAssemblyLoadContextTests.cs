using System.Reflection;
using SimHost.Layout.Jobs;

namespace SimHost.Tests.SharedLayout.Jobs;

/// <summary>Which of a job assembly's dependencies come from the process, and which from the job's own folder.</summary>
public sealed class JobAssemblyLoadContextTests
{
    private static AssemblyName Contract(Version version) => new(typeof(IJob).Assembly.GetName().Name!) { Version = version };

    [Test]
    public void ProcessCopy_IsShared_WhenItIsAtLeastTheVersionTheJobWasBuiltAgainst()
    {
        var carried = typeof(IJob).Assembly.GetName().Version!;

        Assert.Multiple(() =>
        {
            Assert.That(JobAssemblyLoadContext.IsProcessAssembly(Contract(carried)), Is.True, "same version");
            Assert.That(JobAssemblyLoadContext.IsProcessAssembly(Contract(new Version(0, 1))), Is.True, "older version");
            Assert.That(JobAssemblyLoadContext.IsProcessAssembly(new AssemblyName("System.Runtime")), Is.True, "no version asked");
        });
    }

    [Test]
    public void ProcessCopy_IsNotShared_WhenTheJobWasBuiltAgainstANewerVersion()
    {
        // The job's own copy (through its deps.json) is used instead of failing to bind to the older one.
        Assert.That(JobAssemblyLoadContext.IsProcessAssembly(Contract(new Version(999, 0))), Is.False);
    }

    [Test]
    public void AnAssemblyTheProcessDoesNotCarry_IsNotShared()
    {
        Assert.That(JobAssemblyLoadContext.IsProcessAssembly(new AssemblyName("No.Such.Package")), Is.False);
    }
}
