using SimHost.Host.Workers;
using SimHost.Layout.Segments;

namespace SimHost.Tests.EndToEnd.Support;

/// <summary>
/// A test's run directory and worker pool; <see cref="DisposeAsync"/> stops the pool and asserts that no worker
/// process of this test and no file in its run directory is left.
/// </summary>
internal sealed class PoolEnvironment : IAsyncDisposable
{
    private readonly PrivateFolder _folder = new();

    public PoolEnvironment() => RunDirectory = RunDirectory.Create(_folder.RunRoot);

    public RunDirectory RunDirectory { get; }

    public WorkerPool? Pool { get; private set; }

    /// <summary>A folder of the test for the crash-once markers.</summary>
    public string MarkerDirectory => _folder.Subfolder("markers");

    public async Task<WorkerPool> StartPoolAsync(int workers, TimeSpan jobTimeout, RestartPolicy? restartPolicy = null, IReadOnlyList<string>? jobAssemblies = null)
    {
        var options = ParticleRun.PoolOptions(workers, RunDirectory, jobTimeout);
        if (restartPolicy is not null)
        {
            options = options with { RestartPolicy = restartPolicy };
        }

        if (jobAssemblies is not null)
        {
            options = options with { JobAssemblies = jobAssemblies };
        }

        Pool = await HangGuard.Within(
            WorkerPool.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance),
            $"starting {workers} workers");
        return Pool;
    }

    /// <summary>Stops the pool; returns the files left in the run directory besides its owner file.</summary>
    public async Task<string[]> StopPoolAsync()
    {
        if (Pool is not null)
        {
            await HangGuard.Within(Pool.DisposeAsync().AsTask(), "disposing the worker pool");
        }

        return [.. Directory.GetFileSystemEntries(RunDirectory.Path).Where(f => !f.EndsWith(RunDirectory.OwnerFileName, StringComparison.Ordinal))];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopPoolAsync();
            RunDirectory.Dispose();
            _folder.AssertClean();
        }
        finally
        {
            _folder.Dispose();
        }
    }
}
