using SimHost.Host.Cli;
using SimHost.Host.Ecs;
using SimHost.Host.Persistence;
using SimHost.Physics;

namespace SimHost.Tests.Host.Cli;

/// <summary>
/// A report that cannot be written (<c>simhost inspect DIR &gt; /dev/full</c>, a full disk) is one line naming the cause
/// and exit 1, as a run's summary that cannot be written, never the runtime's stack trace.
/// </summary>
public sealed class UnwritableOutputTests
{
    private string _checkpoint = null!;

    [SetUp]
    public void SetUp()
    {
        _checkpoint = Path.Combine(Path.GetTempPath(), $"simhost-unwritable-{Guid.NewGuid():N}");
        var world = new World();
        ParticlesModule.Seed(world, 100, seed: 3, PhysicsParameters.Default);
        WorldCheckpoint.Save(world, _checkpoint);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_checkpoint, recursive: true);

    [TestCase("inspect")]
    [TestCase("inspect", "--json")]
    [TestCase("describe")]
    public async Task AReportToAFullDisk_IsOneLineAndExit1(params string[] command)
    {
        string[] args = command[0] == "inspect" ? [.. command, _checkpoint] : command;
        using var output = new UnwritableOutput();

        var (exitCode, _, error) = await CommandLineRun.InvokeAsync(output, args);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.RunFailed));
            Assert.That(error, Does.StartWith("simhost: the report could not be written to standard output: No space left on device"));
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line");
        });
    }

    [Test]
    public async Task AnInspectionRefusedWithJson_ToAFullDisk_KeepsItsUsageExitCode()
    {
        using var output = new UnwritableOutput();

        var (exitCode, _, error) = await CommandLineRun.InvokeAsync(output, "inspect", "--json", "/nonexistent/simhost-checkpoint");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(error, Does.Contain("/nonexistent/simhost-checkpoint"));
        });
    }
}
