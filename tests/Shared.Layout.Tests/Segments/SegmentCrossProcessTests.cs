using System.Globalization;
using SimHost.Layout.Segments;

namespace SimHost.Tests.SharedLayout.Segments;

/// <summary>A second process maps the segment by path, as a worker does, and sees and changes the same bytes.</summary>
[TestFixture]
public sealed class SegmentCrossProcessTests
{
    private RunDirectory _runDirectory = null!;
    private SegmentProbeProcess? _probe;

    [SetUp]
    public void SetUp() => _runDirectory = RunDirectory.Create();

    [TearDown]
    public void TearDown()
    {
        _probe?.Dispose();
        _probe = null;
        _runDirectory.Dispose();
    }

    [Test]
    public void AnotherProcess_ReadsTheRowsAndChecksumTheHostWrote()
    {
        string path = _runDirectory.SegmentPath("probe.seg");
        using var segment = SampleSegment.Create(path, rows: 64);

        var (exitCode, output, error) = Run(path);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Is.EqualTo(string.Create(
            CultureInfo.InvariantCulture, $"rows=64 frame=42 seq=1000 columns=2 checksum={SampleSegment.Checksum(segment):X16}")));
    }

    [Test]
    public void AnotherProcess_WritesAreVisibleThroughTheHostsMapping()
    {
        string path = _runDirectory.SegmentPath("probe.seg");
        using var segment = SampleSegment.Create(path, rows: 70);

        var (exitCode, _, error) = Run(path, "--mark");

        Assert.That(exitCode, Is.Zero, error);
        Assert.Multiple(() =>
        {
            Assert.That(segment.JobSequence, Is.EqualTo(1001UL));
            Assert.That(segment.ChangedWords(0).ToArray(), Is.EqualTo(new[] { ulong.MaxValue, (1UL << 6) - 1 }));
            Assert.That(segment.ChangedWords(1).ToArray(), Is.EqualTo(new[] { ulong.MaxValue, (1UL << 6) - 1 }));
        });
    }

    [Test]
    public void AnotherProcess_RejectsACorruptSegmentWithAOneLineError()
    {
        string path = _runDirectory.SegmentPath("probe.seg");
        using (SampleSegment.Create(path, rows: 1))
        {
        }

        SegmentFileEditor.WriteUInt32(path, 8, 7);

        var (exitCode, _, error) = Run(path);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.StartWith(nameof(SegmentError.UnsupportedVersion)).And.Contain(path).And.Not.Contain('\n'));
    }

    private (int ExitCode, string Output, string Error) Run(params string[] arguments)
    {
        _probe = new SegmentProbeProcess(arguments);
        return _probe.WaitForExit();
    }
}
