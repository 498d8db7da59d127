using SimHost.Host.Cli;

namespace SimHost.Tests.Host.Cli;

public sealed class DurationTextTests
{
    [TestCase("250ms", 250.0)]
    [TestCase("2s", 2000.0)]
    [TestCase("1.5s", 1500.0)]
    [TestCase("1m", 60000.0)]
    [TestCase("1h", 3600000.0)]
    [TestCase("0.5h", 1800000.0)]
    [TestCase("3", 3000.0)]
    [TestCase("00:00:05", 5000.0)]
    public void TryParse_ReadsUnits(string text, double expectedMs)
    {
        Assert.That(DurationText.TryParse(text, out var duration), Is.True);
        Assert.That(duration.TotalMilliseconds, Is.EqualTo(expectedMs));
    }

    [TestCase("")]
    [TestCase("-1s")]
    [TestCase("soon")]
    [TestCase("1e999s")]
    public void TryParse_RejectsNonsense(string text) => Assert.That(DurationText.TryParse(text, out _), Is.False);
}
