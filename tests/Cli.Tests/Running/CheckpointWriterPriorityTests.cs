using Microsoft.Extensions.Logging.Abstractions;
using SimHost.Host.Cli;
using SimHost.Host.Running;

namespace SimHost.Tests.Cli.Running;

/// <summary><c>--checkpoint-priority</c> reaches the run's checkpoint writer: lowest unless normal is asked for.</summary>
public sealed class CheckpointWriterPriorityTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("simhost-priority-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [TestCase(false, true)]
    [TestCase(true, false)]
    public void TheWriter_IsAtTheGivenPriority(bool normal, bool atLowest)
    {
        var priority = normal ? CheckpointPriority.Normal : CheckpointPriority.Lowest;
        var settings = new RunSettings { CheckpointEvery = 10, CheckpointDirectory = _folder, CheckpointPriority = priority };

        var writer = RunCheckpoints.Writer(settings, NullLogger.Instance);

        Assert.That(writer?.AtLowestPriority, Is.EqualTo(atLowest));
    }
}
