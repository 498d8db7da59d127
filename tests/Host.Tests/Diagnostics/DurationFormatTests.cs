using SimHost.Host.Diagnostics;

namespace SimHost.Tests.Host.Diagnostics;

/// <summary>Durations in messages read as a user writes them on the command line, not as <see cref="TimeSpan"/> prints.</summary>
public sealed class DurationFormatTests
{
    [TestCase(500, "500ms")]
    [TestCase(250, "250ms")]
    [TestCase(1500, "1500ms")]
    [TestCase(10_000, "10s")]
    [TestCase(3_600_000, "3600s")]
    [TestCase(0.5, "0.5ms")]
    [TestCase(0, "0ms")]
    public void Format_WritesTheDurationAsAFlagWouldBeGiven(double milliseconds, string expected) =>
        Assert.That(DurationFormat.Format(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(expected));
}
