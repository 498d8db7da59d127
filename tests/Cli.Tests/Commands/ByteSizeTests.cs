using SimHost.Host.Cli;

namespace SimHost.Tests.Host.Cli;

public sealed class ByteSizeTests
{
    [TestCase("4096", 4096L)]
    [TestCase("512KiB", 512L * 1024)]
    [TestCase("64MiB", 64L << 20)]
    [TestCase("64 MiB", 64L << 20)]
    [TestCase("2GiB", 2L << 30)]
    [TestCase("1.5GiB", 3L << 29)]
    [TestCase("8mb", 8L << 20)]
    public void TryParse_ReadsBinaryUnits(string text, long expected)
    {
        Assert.That(ByteSize.TryParse(text, out var bytes), Is.True);
        Assert.That(bytes, Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("MiB")]
    [TestCase("-1MiB")]
    [TestCase("12 parsecs")]
    [TestCase("99999999999999GiB")]
    public void TryParse_RejectsNonsense(string text) => Assert.That(ByteSize.TryParse(text, out _), Is.False);

    [TestCase(64L << 20, "64MiB")]
    [TestCase(1536L, "1.5KiB")]
    [TestCase(100L, "100B")]
    public void Format_UsesTheLargestReadableUnit(long bytes, string expected) => Assert.That(ByteSize.Format(bytes), Is.EqualTo(expected));
}
