using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SimHost.Host.Workers;
using SimHost.Layout.Segments;

namespace SimHost.Tests.Host.Workers;

/// <summary>
/// Per-test run directory, log sink and pool; <see cref="DisposeAsync"/> stops the pool, kills any worker left
/// behind and reports what it found, so a test never leaks processes, pipes or segment files.
/// </summary>
internal sealed class WorkerTestEnvironment : IAsyncDisposable
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(90);

    public WorkerTestEnvironment()
    {
        RunDirectory = RunDirectory.Create();
        Logger = Sink;
    }

    public RunDirectory RunDirectory { get; }

    public CollectingLogger Sink { get; } = new(LogLevel.Debug);

    public ILogger Logger { get; }

    public WorkerPool? Pool { get; private set; }

    /// <summary>tests/TestJobs/bin/&lt;Configuration&gt;/&lt;TargetFramework&gt;/SimHost.Tests.Jobs.dll.</summary>
    public static string TestJobsAssemblyPath
    {
        get
        {
            var targetFramework = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            var configuration = targetFramework.Parent!;
            var testsFolder = configuration.Parent!.Parent!.Parent!;
            var path = Path.Combine(testsFolder.FullName, "TestJobs", "bin", configuration.Name, targetFramework.Name, "SimHost.Tests.Jobs.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The test jobs were not built at '{path}'.", path);
        }
    }

    /// <summary>
    /// tests/HostileWorker/bin/&lt;Configuration&gt;/&lt;TargetFramework&gt;: a simhost-worker built with the reply-forgery
    /// seam, for <see cref="WorkerPoolOptions.WorkerDirectory"/> in the tests that run ForgedReplyJob.
    /// </summary>
    public static string HostileWorkerDirectory
    {
        get
        {
            var targetFramework = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            var configuration = targetFramework.Parent!;
            var testsFolder = configuration.Parent!.Parent!.Parent!;
            var directory = Path.Combine(testsFolder.FullName, "HostileWorker", "bin", configuration.Name, targetFramework.Name);
            var assembly = Path.Combine(directory, "simhost-worker.dll");
            return File.Exists(assembly) ? directory : throw new FileNotFoundException($"The hostile worker was not built at '{assembly}'.", assembly);
        }
    }

    /// <summary>Starts the pool on the hostile worker (see <see cref="HostileWorkerDirectory"/>).</summary>
    public Task<WorkerPool> StartHostilePoolAsync(int workers) =>
        StartPoolAsync(workers, configure: options => options with { WorkerDirectory = HostileWorkerDirectory });

    public static async Task<T> Within<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(s_hangGuard);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Hung for {s_hangGuard}: {what}");
            throw;
        }
    }

    public static async Task Within(Task task, string what) => await Within(task.ContinueWith(t => t.Exception is null, TaskScheduler.Default), what);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test, naming <paramref name="what"/>, past the hang guard.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var waiting = Task.Run(async () =>
        {
            while (!condition())
            {
                await Task.Delay(20);
            }

            return true;
        });
        await Within(waiting, what);
    }

    public async Task<WorkerPool> StartPoolAsync(int workers, TimeSpan? jobTimeout = null, Func<WorkerPoolOptions, WorkerPoolOptions>? configure = null)
    {
        var options = new WorkerPoolOptions
        {
            WorkerCount = workers,
            JobTimeout = jobTimeout ?? TimeSpan.FromSeconds(60),
            JobAssemblies = [typeof(SimHost.Physics.Jobs.PhysicsStepJob).Assembly.Location, TestJobsAssemblyPath],
            PipeDirectory = RunDirectory.Path,
            LogLevel = LogLevel.Debug,

            // Generous: a loaded CI machine must not make an idle worker miss its Pong (the Ping tests set their own).
            PingTimeout = TimeSpan.FromSeconds(20),
        };
        options = configure?.Invoke(options) ?? options;
        Pool = await Within(WorkerPool.StartAsync(options, Logger), $"starting {workers} workers");
        return Pool;
    }

    /// <summary>Waits (with the hang guard) until the pool has <paramref name="alive"/> live workers again.</summary>
    public async Task WaitForLiveWorkersAsync(int alive)
    {
        var stopwatch = Stopwatch.StartNew();
        while (Pool!.ParallelSlots != alive)
        {
            if (stopwatch.Elapsed > s_hangGuard)
            {
                Assert.Fail($"Hung for {s_hangGuard}: waiting for {alive} live workers (have {Pool.ParallelSlots})");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Pool is not null)
        {
            await Within(Pool.DisposeAsync().AsTask(), "disposing the worker pool");
        }

        var leftovers = ProcessCensus.FindWorkersOfThisProcess();
        foreach (var pid in leftovers)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
                // Gone meanwhile.
            }
        }

        var leftoverFiles = Directory.GetFiles(RunDirectory.Path);
        RunDirectory.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(leftovers, Is.Empty, "worker processes still running after the pool was disposed");
            Assert.That(
                leftoverFiles.Where(f => !f.EndsWith(RunDirectory.OwnerFileName, StringComparison.Ordinal) && !f.EndsWith(".seg", StringComparison.Ordinal)),
                Is.Empty,
                "pipe sockets left in the run directory");
            Assert.That(Directory.Exists(RunDirectory.Path), Is.False, "run directory left behind");
        });
    }
}
