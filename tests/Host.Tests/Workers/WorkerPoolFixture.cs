namespace SimHost.Tests.Host.Workers;

/// <summary>
/// A fixture whose every test gets a fresh <see cref="WorkerTestEnvironment"/>, disposed after the test and after the
/// fixture's own tear-down (NUnit runs a base class's set-up first and its tear-down last): the pool is stopped, any
/// worker left behind is killed, and the run directory removed, even when the test failed.
/// </summary>
public abstract class WorkerPoolFixture
{
    /// <summary>This test's run directory, log sink and pool.</summary>
    internal WorkerTestEnvironment Harness { get; private set; } = null!;

    /// <summary>Creates this test's environment.</summary>
    [SetUp]
    public void CreateHarness() => Harness = new WorkerTestEnvironment();

    /// <summary>Stops this test's pool and removes what it created.</summary>
    /// <returns>A task completed once everything is gone.</returns>
    [TearDown]
    public async Task DisposeHarnessAsync() => await Harness.DisposeAsync();
}
