using SimHost.Host.Workers;

namespace SimHost.Tests.Host.Workers;

/// <summary>A pool asked for workers of which not one can start refuses to start, with the first worker's reason.</summary>
[TestFixture]
[NonParallelizable]
public sealed class WorkerPoolStartFailureTests
{
    private WorkerTestEnvironment _environment = null!;
    private string _brokenWorker = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _environment = new WorkerTestEnvironment();

        // A simhost-worker.dll that is no assembly: `dotnet` refuses it and exits, as a worker that cannot load a
        // dependency of its own does.
        _brokenWorker = Directory.CreateTempSubdirectory("simhost-broken-worker-").FullName;
        File.WriteAllText(Path.Combine(_brokenWorker, WorkerLauncher.WorkerAssemblyFileName), "not an assembly");
    }

    [TearDown]
    public async Task TearDown()
    {
        try
        {
            await _environment.DisposeAsync();
        }
        finally
        {
            Directory.Delete(_brokenWorker, recursive: true);
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    public async Task NoWorkerStarting_IsOneErrorAtStart_NamingWhy(int workers)
    {
        var start = _environment.StartPoolAsync(workers, configure: options => options with { WorkerDirectory = _brokenWorker });

        var refusal = Assert.ThrowsAsync<WorkerStartException>(async () => await start);

        Assert.Multiple(() =>
        {
            Assert.That(refusal!.Message, Does.StartWith($"no worker could start ({workers} tried, each as often as the restart policy allows): worker 0 did not connect: it exited"));
            Assert.That(refusal.Message, Does.EndWith("fix that, or run every job in-process with a worker count of 0"));
            Assert.That(_environment.Pool, Is.Null, "no pool is handed out");
        });
    }

    [Test]
    public async Task SupervisionThatFails_FailsTheStartWithItsCause_InsteadOfWaitingForever()
    {
        // A failure no worker explains (here the restart policy's clock, read once the first start failed): before, it
        // ended the slot's supervision without completing the start's wait, and the pool's start never returned.
        var policy = new RestartPolicy { InitialBackoff = TimeSpan.Zero, TimeProvider = new BrokenClock() };
        var start = _environment.StartPoolAsync(1, configure: options => options with { WorkerDirectory = _brokenWorker, RestartPolicy = policy });

        var failure = Assert.ThrowsAsync<WorkerStartException>(async () => await start);

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Message, Does.Contain($"worker 0 could not be supervised: {BrokenClock.Failure}"));
            Assert.That(_environment.Pool, Is.Null, "no pool is handed out");
        });
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task WorkerKilledWhileItStarts_IsStartedAgain_AndThePoolStarts()
    {
        // The real worker behind a launcher that kills its first start, as an outside SIGKILL during the start would.
        var folder = Directory.CreateTempSubdirectory("simhost-killed-start-").FullName;
        try
        {
            var marker = Path.Combine(folder, "first-start-killed");
            var real = Path.Combine(AppContext.BaseDirectory, WorkerLauncher.WorkerAppHostName);
            File.WriteAllText(Path.Combine(folder, WorkerLauncher.WorkerAssemblyFileName), "the launcher below starts the real worker");
            var launcher = Path.Combine(folder, WorkerLauncher.WorkerAppHostName);
            File.WriteAllText(launcher, $"#!/bin/sh\nif [ ! -e '{marker}' ]; then : > '{marker}'; kill -9 $$; fi\nexec '{real}' \"$@\"\n");
            File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var pool = await _environment.StartPoolAsync(1, configure: options => options with { WorkerDirectory = folder });

            Assert.Multiple(() =>
            {
                Assert.That(File.Exists(marker), Is.True, "the first start was killed");
                Assert.That(pool.ParallelSlots, Is.EqualTo(1), "the second start connected, and the pool started");
            });
        }
        finally
        {
            if (_environment.Pool is { } pool)
            {
                await pool.DisposeAsync();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void NoWorkerInTheFolder_IsOneError_NamingWhereItLookedAndTheFix()
    {
        var empty = Directory.CreateTempSubdirectory("simhost-no-worker-").FullName;
        try
        {
            var refusal = Assert.ThrowsAsync<WorkerStartException>(async () => await _environment.StartPoolAsync(1, configure: options => options with { WorkerDirectory = empty }));

            Assert.Multiple(() =>
            {
                Assert.That(refusal!.Message, Does.Contain($"is in none of {Path.Combine(empty, WorkerLauncher.WorkerFolderName)}, {empty};"));
                Assert.That(refusal.Message, Does.Contain("set WorkerPoolOptions.WorkerDirectory to the folder that holds it"));
            });
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [TestCase("")]
    [TestCase(" ")]
    public void EmptyJobAssemblyPath_IsOneError_SayingWhy(string path)
    {
        var refusal = Assert.ThrowsAsync<SimHost.Layout.Jobs.JobCatalogException>(async () => await _environment.StartPoolAsync(1, configure: options => options with { JobAssemblies = [path] }));

        Assert.That(refusal!.Message, Does.StartWith("A job assembly path is empty (Assembly.Location is empty in a single-file application)"));
    }

    [Test]
    public async Task WorkerInItsOwnFolder_IsFoundThere_BeforeOneBesideTheHost()
    {
        // The package's layout: the worker and its dependencies in simhost-worker/ (a broken one beside it must not be used).
        var pool = await _environment.StartPoolAsync(1, configure: options => options with { WorkerDirectory = WithOwnFolder() });

        Assert.That(pool.ParallelSlots, Is.EqualTo(1));
    }

    private string WithOwnFolder()
    {
        var own = Directory.CreateDirectory(Path.Combine(_brokenWorker, WorkerLauncher.WorkerFolderName)).FullName;
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "simhost-worker*"))
        {
            File.Copy(file, Path.Combine(own, Path.GetFileName(file)));
        }

        foreach (var dependency in (string[])["SimHost.Layout.dll", "Serilog.dll", "Serilog.Sinks.Console.dll", "CommunityToolkit.HighPerformance.dll"])
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, dependency), Path.Combine(own, dependency));
        }

        return _brokenWorker;
    }

    private sealed class BrokenClock : TimeProvider
    {
        public const string Failure = "the clock is broken";

        public override long GetTimestamp() => throw new InvalidOperationException(Failure);
    }
}
