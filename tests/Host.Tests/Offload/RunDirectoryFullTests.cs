using SimHost.Host.Offload;
using SimHost.Layout.Segments;

namespace SimHost.Tests.Host.Offload;

/// <summary>
/// A segment the run directory has no room for is told apart from other I/O failures and reported as a limit the user
/// fixes, naming the directory, the bytes, the room there is and the fixes.
/// </summary>
public sealed class RunDirectoryFullTests
{
    private RunDirectory _runDirectory = null!;

    [SetUp]
    public void SetUp() => _runDirectory = RunDirectory.Create(Path.GetTempPath());

    [TearDown]
    public void TearDown() => _runDirectory.Dispose();

    [Test]
    public void ASegmentLargerThanTheFreeSpace_IsNoRoom()
    {
        var free = new DriveInfo(_runDirectory.Path).AvailableFreeSpace;

        // The failed preallocation's IOException carries no errno: the free space tells.
        Assert.That(RunDirectoryFull.Is(new IOException("Failed to create 'x.seg' with allocation size"), _runDirectory, free + (1L << 30)), Is.True);
    }

    [Test]
    public void AnErrnoOfNoSpace_IsNoRoom_WhateverTheSize() =>
        Assert.That(RunDirectoryFull.Is(new IOException("No space left on device", 28), _runDirectory, 4096), Is.True);

    [Test]
    public void AnotherFailure_NeedingNoRoom_IsNot()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RunDirectoryFull.Is(new IOException("Permission denied", 13), _runDirectory, 0), Is.False);
            Assert.That(RunDirectoryFull.Is(new InvalidOperationException("not I/O"), _runDirectory, long.MaxValue), Is.False);
        });
    }

    [Test]
    public void TheMessage_NamesTheDirectoryTheBytesTheRoomAndTheFixes()
    {
        var error = RunDirectoryFull.Exception(_runDirectory, 56_500_544, new IOException("disk full"));

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith($"The run directory '{_runDirectory.Path}' has no room for 56500544 bytes of segments ("));
            Assert.That(error.Message, Does.Match(@"\(\d+ bytes are free there\)"));
            Assert.That(error.Message, Does.EndWith("give its file system more room (a container's /dev/shm: docker run --shm-size), or another --run-dir on a tmpfs with room (from a program: WithRunDirectory), or seed fewer entities."));
            Assert.That(error.InnerException, Is.TypeOf<IOException>());
        });
    }
}
