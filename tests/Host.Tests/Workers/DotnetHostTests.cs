using SimHost.Host.Workers;

namespace SimHost.Tests.Host.Workers;

/// <summary>Which <c>dotnet</c> starts a framework-dependent worker: never only the PATH's, which a tool's shim may not have.</summary>
[TestFixture]
public sealed class DotnetHostTests
{
    private static readonly string s_dotnet = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
    private static readonly string s_runtime = Path.Combine("/opt", "dn", "shared", "Microsoft.NETCore.App", "10.0.0") + Path.DirectorySeparatorChar;
    private static readonly string s_architecture = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToUpperInvariant();

    [Test]
    public void TheProcessItself_WhenItIsDotnet()
    {
        var self = Path.Combine("/usr", "bin", s_dotnet);
        Assert.That(DotnetHost.Find(self, Environment(("DOTNET_HOST_PATH", "/elsewhere/dotnet")), s_runtime, _ => true), Is.EqualTo(self));
    }

    [Test]
    public void TheRootOfTheRunningRuntime_BeforeAnyVariable()
    {
        var beside = Path.Combine(Path.GetFullPath("/opt/dn"), s_dotnet);
        var found = DotnetHost.Find("/app/myapp", Environment(("DOTNET_HOST_PATH", "/sdk/dotnet"), ("DOTNET_ROOT", "/root")), s_runtime, _ => true);
        Assert.That(found, Is.EqualTo(beside));
    }

    [Test]
    public void TheSdksHostPath_BeforeTheRoots_ForARuntimeWithoutDotnetBesideIt()
    {
        var found = DotnetHost.Find("/app/myapp", Environment(("DOTNET_HOST_PATH", "/sdk/dotnet"), ("DOTNET_ROOT", "/root")), s_runtime, path => !path.StartsWith("/opt", StringComparison.Ordinal));
        Assert.That(found, Is.EqualTo("/sdk/dotnet"));
    }

    [Test]
    public void TheArchitecturesRoot_BeforeTheGeneralRoot_AndOnlyWhereDotnetIsThere()
    {
        var specific = Path.Combine("/arch-root", s_dotnet);
        var general = Path.Combine("/general-root", s_dotnet);
        var environment = Environment(($"DOTNET_ROOT_{s_architecture}", "/arch-root"), ("DOTNET_ROOT", "/general-root"), ("DOTNET_HOST_PATH", "/missing/dotnet"));
        Assert.Multiple(() =>
        {
            Assert.That(DotnetHost.Find("/app/myapp", environment, s_runtime, path => path == specific || path == general), Is.EqualTo(specific));
            Assert.That(DotnetHost.Find("/app/myapp", environment, s_runtime, path => path == general), Is.EqualTo(general));
        });
    }

    [Test]
    public void TheRootOfTheRunningRuntime_WhenNothingIsSet()
    {
        var beside = Path.Combine(Path.GetFullPath("/opt/dn"), s_dotnet);
        Assert.That(DotnetHost.Find("/app/myapp", Environment(), s_runtime, path => path == beside), Is.EqualTo(beside));
    }

    [Test]
    public void ThePath_AsTheLastResort()
    {
        Assert.That(DotnetHost.Find("/app/myapp", Environment(), s_runtime, _ => false), Is.EqualTo(s_dotnet));
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
