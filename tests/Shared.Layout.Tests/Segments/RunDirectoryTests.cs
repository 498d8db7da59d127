using System.Diagnostics;
using System.Runtime.Versioning;
using SimHost.Layout.Segments;

namespace SimHost.Tests.SharedLayout.Segments;

// Segment files and run directories rely on Unix file modes; the product runs on Linux.
[TestFixture]
[UnsupportedOSPlatform("windows")]
public sealed class RunDirectoryTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // A private root, so sweeping it never touches another run's directories in /dev/shm.
    private string _root = null!;
    private Process? _liveProcess;

    [SetUp]
    public void SetUp() => _root = Path.Combine(Path.GetTempPath(), $"simhost-tests-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (_liveProcess is not null)
        {
            if (!_liveProcess.HasExited)
            {
                _liveProcess.Kill();
                _liveProcess.WaitForExit();
            }

            _liveProcess.Dispose();
            _liveProcess = null;
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public void Create_MakesAPrivateDirectoryNamedAfterThisProcess()
    {
        using var run = RunDirectory.Create(_root);

        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(run.Path), Is.EqualTo(OwnerOnly));
            Assert.That(Path.GetDirectoryName(run.Path), Is.EqualTo(Path.GetFullPath(_root)));
            Assert.That(Path.GetFileName(run.Path), Does.Match($"^simhost-{Environment.ProcessId}-[0-9a-f]{{16}}$"));
            Assert.That(run.OwnerProcessId, Is.EqualTo(Environment.ProcessId));
        });
    }

    [Test]
    public void Create_WithoutARoot_UsesDevShmWhenPresent()
    {
        using var run = RunDirectory.Create();

        Assert.That(Path.GetDirectoryName(run.Path), Is.EqualTo(Path.TrimEndingDirectorySeparator(RunDirectory.DefaultRoot)));
        Assert.That(File.GetUnixFileMode(run.Path), Is.EqualTo(OwnerOnly));
    }

    [Test]
    public void Create_WritesThisProcessAsOwner()
    {
        using var run = RunDirectory.Create(_root);

        string[] lines = File.ReadAllLines(Path.Combine(run.Path, RunDirectory.OwnerFileName));
        Assert.That(lines[0], Is.EqualTo(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Create_GivesEachRunItsOwnDirectory()
    {
        using var first = RunDirectory.Create(_root);
        using var second = RunDirectory.Create(_root);

        Assert.That(second.Path, Is.Not.EqualTo(first.Path));
    }

    [Test]
    public void Dispose_RemovesTheDirectoryAndItsSegments()
    {
        var run = RunDirectory.Create(_root);
        using (SampleSegment.Create(run.SegmentPath("a.seg"), rows: 1))
        {
        }

        run.Dispose();

        Assert.That(Directory.Exists(run.Path), Is.False);
    }

    [TestCase("../escape")]
    [TestCase("a/b")]
    [TestCase("..")]
    [TestCase(".hidden")]
    [TestCase("owner.pid")]
    [TestCase("")]
    public void SegmentPath_RejectsNamesThatCouldEscapeOrClash(string name)
    {
        using var run = RunDirectory.Create(_root);

        Assert.That(() => run.SegmentPath(name), Throws.ArgumentException);
    }

    [Test]
    public void SegmentPath_PutsTheFileInsideTheRunDirectory()
    {
        using var run = RunDirectory.Create(_root);

        Assert.That(run.SegmentPath("physics-0.seg"), Is.EqualTo(Path.Combine(run.Path, "physics-0.seg")));
    }

    [Test]
    public void RemoveStale_RemovesADirectoryWhoseOwnerExited()
    {
        int deadProcessId = ExitedProcessId();
        string stale = FakeRunDirectory(deadProcessId, $"{deadProcessId}\n1\n");

        var removed = RemoveStale();

        Assert.That(removed, Is.EqualTo(new[] { stale }));
        Assert.That(Directory.Exists(stale), Is.False);
    }

    [Test]
    public void RemoveStale_KeepsADirectoryWhoseOwnerIsAlive()
    {
        _liveProcess = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        string live = FakeRunDirectory(_liveProcess.Id, $"{_liveProcess.Id}\n{StartTime(_liveProcess.Id)}\n");

        var removed = RemoveStale();

        Assert.That(removed, Is.Empty);
        Assert.That(Directory.Exists(live), Is.True);
    }

    [Test]
    public void RemoveStale_KeepsTheCurrentRunsDirectory()
    {
        using var run = RunDirectory.Create(_root);

        Assert.That(RemoveStale(), Is.Empty);
        Assert.That(Directory.Exists(run.Path), Is.True);
    }

    [Test]
    public void RemoveStale_RemovesADirectoryWhosePidWasReusedByAnotherProcess()
    {
        _liveProcess = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        string reused = FakeRunDirectory(_liveProcess.Id, $"{_liveProcess.Id}\n{StartTime(_liveProcess.Id) - 1}\n");

        Assert.That(RemoveStale(), Is.EqualTo(new[] { reused }));
    }

    [Test]
    public void RemoveStale_IgnoresDirectoriesThatAreNotRunDirectories()
    {
        string other = Path.Combine(_root, "simhost-notapid");
        Directory.CreateDirectory(other);

        Assert.That(RemoveStale(), Is.Empty);
        Assert.That(Directory.Exists(other), Is.True);
    }

    [Test]
    public void RemoveStale_OnAMissingRoot_RemovesNothing()
    {
        Assert.That(RunDirectory.RemoveStale(Path.Combine(_root, "missing")), Is.Empty);
    }

    private IReadOnlyList<string> RemoveStale() => RunDirectory.RemoveStale(_root);

    private string FakeRunDirectory(int processId, string ownerFile)
    {
        string path = Path.Combine(_root, $"simhost-{processId}-00000000000000ff");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, RunDirectory.OwnerFileName), ownerFile);
        File.WriteAllText(Path.Combine(path, "left-behind.seg"), "x");
        return path;
    }

    private static int ExitedProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    private static long StartTime(int processId)
    {
        string stat = File.ReadAllText($"/proc/{processId}/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], System.Globalization.CultureInfo.InvariantCulture);
    }
}
