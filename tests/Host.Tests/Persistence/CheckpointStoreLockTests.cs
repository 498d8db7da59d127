using SimHost.Host.Persistence;

namespace SimHost.Tests.Host.Persistence;

/// <summary>One writer per checkpoint directory: the lock is exclusive while held and free again once released.</summary>
public sealed class CheckpointStoreLockTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("simhost-lock-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void ASecondWriter_IsRefused_WhileTheFirstHoldsTheDirectory_AndTakesItOnceReleased()
    {
        var store = new CheckpointStore(_directory, kept: 2);
        var first = store.TryLockForWriting();
        Assert.That(first, Is.Not.Null);

        using (first)
        {
            Assert.That(new CheckpointStore(_directory, kept: 2).TryLockForWriting(), Is.Null, "taken while the first holds it");
        }

        using var second = store.TryLockForWriting();
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.Not.Null, "free once the first released it");
            Assert.That(CheckpointStore.List(_directory), Is.Empty, "the lock file is no checkpoint");
        });
    }
}
