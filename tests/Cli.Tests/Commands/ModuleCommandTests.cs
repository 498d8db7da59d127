using SimHost.Host.Cli;

namespace SimHost.Tests.Host.Cli;

/// <summary><c>--module</c> and <c>--param</c> on <c>simhost run</c> and <c>simhost describe</c>, and describe's output.</summary>
public sealed class ModuleCommandTests
{
    private static readonly string[] s_grazerParameters = ["field=64", "grass-growth=0.25"];

    private static Task<(int ExitCode, RunSettings? Settings, string Output, string Error)> InvokeAsync(params string[] args) =>
        CommandLineRun.InvokeAsync(args);

    private static void AssertOneLineUsageError(int exitCode, string error, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.StartWith("simhost: ").And.Contain(expected));
            Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public async Task Run_ReadsModuleAndRepeatedParams()
    {
        var (exitCode, settings, _, error) = await InvokeAsync("run", "--module", "Grazers.dll", "--param", "field=64", "--param=grass-growth=0.25");

        Assert.That(error, Is.Empty);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.Multiple(() =>
        {
            Assert.That(settings!.ModulePath, Is.EqualTo("Grazers.dll"));
            Assert.That(settings.Parameters, Is.EqualTo(s_grazerParameters));
            Assert.That(settings.Entities, Is.Null, "the module's DefaultEntities");
        });
    }

    [Test]
    public async Task Run_WithAModule_LeavesTheEntityBoundToTheModule()
    {
        var (exitCode, settings, _, error) = await InvokeAsync("run", "--module", "Grazers.dll", "--entities", "200000000");

        Assert.That(error, Is.Empty);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(settings!.Entities, Is.EqualTo(200_000_000));
    }

    [TestCase("gravity=abc", "gravity")]
    [TestCase("damping=2", "damping")]
    [TestCase("gravity", "NAME=VALUE")]
    [TestCase("gravity=1", "twice")]
    public async Task Describe_RejectsABadParameter_WithOneLine(string assignment, string expected)
    {
        string[] repeated = expected == "twice" ? ["--param", assignment] : [];
        var (exitCode, _, output, error) = await InvokeAsync(["describe", "--param", assignment, .. repeated]);

        AssertOneLineUsageError(exitCode, error, expected);
        Assert.That(output, Is.Empty);
    }

    [Test]
    public async Task Describe_RejectsAnUnknownParameter_ListingTheModulesParameters()
    {
        var (exitCode, _, _, error) = await InvokeAsync("describe", "--param", "herd=5");

        AssertOneLineUsageError(exitCode, error, "has no parameter 'herd'");
        Assert.That(error, Does.Contain("gravity").And.Contain("damping").And.Contain("restitution"));
    }

    [Test]
    public async Task Describe_RejectsAMissingModuleFile()
    {
        var (exitCode, _, _, error) = await InvokeAsync("describe", "--module", "no/such/Module.dll");

        AssertOneLineUsageError(exitCode, error, "--module 'no/such/Module.dll' does not exist");
    }

    [Test]
    public async Task Describe_RejectsADirectoryGivenAsTheModule_SayingItIsOne()
    {
        var folder = Path.GetTempPath().TrimEnd(Path.DirectorySeparatorChar);
        var (exitCode, _, _, error) = await InvokeAsync("describe", "--module", folder);

        AssertOneLineUsageError(exitCode, error, $"--module '{folder}' is a directory");
    }

    [Test]
    public async Task Describe_RejectsADllWithoutAModule()
    {
        var layout = typeof(SimHost.Layout.Jobs.JobCatalog).Assembly.Location;
        var (exitCode, _, _, error) = await InvokeAsync("describe", "--module", layout);

        AssertOneLineUsageError(exitCode, error, "has no public module class");
    }

    [Test]
    public async Task Describe_OfParticles_ShowsParametersComponentLayoutsSystemsLevelsAndJobs()
    {
        var (exitCode, _, output, error) = await InvokeAsync("describe");

        Assert.That(error, Is.Empty);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        var lines = output.Split('\n').Select(static line => line.TrimEnd()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(lines, Does.Contain("module: particles"));
            Assert.That(lines, Does.Contain("  gravity (number, default -9.81, -1000 to 1000): vertical acceleration in m/s² (negative pulls down)"));
            Assert.That(lines, Does.Contain("  Position: 12 bytes, aligned to 4, in the checksum (SimHost.Physics.Components.Position)"));
            Assert.That(lines, Does.Contain("  Velocity: 12 bytes, aligned to 4, in the checksum (SimHost.Physics.Components.Velocity)"));
            Assert.That(lines.Count(static line => line.Trim() == "field                type   offset  size"), Is.EqualTo(2));
            Assert.That(lines, Does.Contain("    Y                    f32         4     4"));
            Assert.That(lines, Does.Contain("    Z                    f32         8     4"));
            Assert.That(lines, Does.Contain("  stage Update"));
            Assert.That(lines, Does.Contain("    level 0: physics"));
            Assert.That(lines, Does.Contain("      physics: offloaded: job physics.step"));
            Assert.That(lines, Does.Contain("        writes Position, Velocity"));
        });
    }
}
