using Microsoft.Extensions.Logging;
using SimHost.Host.Workers;

namespace SimHost.Tests.Host.Workers;

[TestFixture]
public sealed class WorkerOutputForwarderTests
{
    [TestCase("ERR Job failed", LogLevel.Error, "Job failed")]
    [TestCase("INF Worker 1 connected", LogLevel.Information, "Worker 1 connected")]
    [TestCase("VRB x", LogLevel.Trace, "x")]
    [TestCase("FTL gone", LogLevel.Critical, "gone")]
    [TestCase("Process terminated. test.fail-fast", LogLevel.Warning, "Process terminated. test.fail-fast")]
    [TestCase("   at Some.Frame()", LogLevel.Warning, "   at Some.Frame()")]
    public void Split_ReadsTheWorkersLevelPrefix(string line, LogLevel level, string text) =>
        Assert.That(WorkerOutputForwarder.Split(line), Is.EqualTo((level, text)));

    [Test]
    public void Forward_LogsTheLineAtItsLevelWithTheWorkerId()
    {
        var logger = new CollectingLogger(LogLevel.Trace);
        var forwarder = new WorkerOutputForwarder(logger, 3);

        forwarder.Forward("ERR Job failed");
        forwarder.Forward(null);

        Assert.That(logger.Events, Has.Count.EqualTo(1));
        var (level, properties) = logger.Events.Single();
        Assert.Multiple(() =>
        {
            Assert.That(level, Is.EqualTo(LogLevel.Error));
            Assert.That(properties["WorkerId"], Is.EqualTo(3u));
            Assert.That(properties["WorkerLine"], Is.EqualTo("Job failed"));
            Assert.That(logger.Lines.Single(), Is.EqualTo("Error Job failed"));
        });
    }
}
