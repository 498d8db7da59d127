using Serilog.Events;
using SimHost.Host.Workers;

namespace SimHost.Tests.Host.Workers;

[TestFixture]
public sealed class WorkerOutputForwarderTests
{
    [TestCase("ERR Job failed", LogEventLevel.Error, "Job failed")]
    [TestCase("INF Worker 1 connected", LogEventLevel.Information, "Worker 1 connected")]
    [TestCase("VRB x", LogEventLevel.Verbose, "x")]
    [TestCase("Process terminated. test.fail-fast", LogEventLevel.Warning, "Process terminated. test.fail-fast")]
    [TestCase("   at Some.Frame()", LogEventLevel.Warning, "   at Some.Frame()")]
    public void Split_ReadsTheWorkersLevelPrefix(string line, LogEventLevel level, string text) =>
        Assert.That(WorkerOutputForwarder.Split(line), Is.EqualTo((level, text)));
}
