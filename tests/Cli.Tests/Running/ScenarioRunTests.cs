using SimHost.Host.Cli;
using SimHost.Host.Offload;
using SimHost.Host.Persistence;
using SimHost.Host.Running;
using SimHost.Host.SharedStorage;
using SimHost.Layout.Jobs;

namespace SimHost.Tests.Host.Running;

/// <summary>The run command in-process: what it says when it is stopped or fails, and where the stack trace goes.</summary>
[NonParallelizable]
public sealed class ScenarioRunTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("simhost-run-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task StopReason_IsNamedInTheSummary()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stopped = new CancellationTokenSource();
        await stopped.CancelAsync();

        var exitCode = await ScenarioRun.ExecuteAsync(
            Settings(workers: 0), new RunConsole(output, error, IsTerminal: false), startWorkers: null, stopped.Token, () => "SIGTERM");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(output.ToString(), Does.Contain("stopped by:      SIGTERM"));
            Assert.That(error.ToString(), Is.Empty);
        });
    }

    [Test]
    public async Task FramesDone_IsNamedInTheSummary()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await ScenarioRun.ExecuteAsync(
            Settings(workers: 0) with { Frames = 3 }, new RunConsole(output, error, IsTerminal: false), startWorkers: null, CancellationToken.None);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(output.ToString(), Does.Contain("frames:          3").And.Contain("stopped by:      frames done"));
    }

    [Test]
    public async Task RunFailure_IsOneLineOnStderr_AndTheStackTraceGoesToTheLogFile()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var logFile = Path.Combine(_folder, "run.log");

        var exitCode = await ScenarioRun.ExecuteAsync(
            Settings(workers: 1) with { LogFile = logFile },
            new RunConsole(output, error, IsTerminal: false),
            (_, _, _, _, _) => throw Broken(),
            CancellationToken.None);

        var lines = error.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var log = await File.ReadAllTextAsync(logFile);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.RunFailed));
            Assert.That(lines, Has.Length.EqualTo(1), error.ToString());
            Assert.That(lines[0], Is.EqualTo($"simhost: the run failed: the pump broke (details and the stack trace in {logFile})"));
            Assert.That(log, Does.Contain("InvalidOperationException").And.Contain(" at "), "the stack trace is in the log file");
            Assert.That(HostLogging.ConsoleTemplate, Does.Not.Contain("{Exception}"), "the console log never prints a stack trace");
        });
    }

    [TestCase(StorageMode.Snapshot, 1)]
    [TestCase(StorageMode.Shared, 3)]
    public async Task UnderFail_AnIdleWorkerLost_EndsTheRunInTheFrameItIsNoticed(StorageMode storage, int ticks)
    {
        // No range fails: the frames run in-process behind a pool status that has lost a worker.
        var status = new FakeWorkerStatus { WorkersLost = 1, LastFailure = "worker 0 lost: the worker closed its pipe (EOF)" };
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await ScenarioRun.ExecuteAsync(
            Settings(workers: 2) with { Frames = 5, OnWorkerFailure = WorkerFailurePolicy.Fail, Storage = storage, TicksPerFrame = ticks },
            new RunConsole(output, error, IsTerminal: false),
            StartWith(status),
            CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.RunFailed));
            Assert.That(error.ToString(), Does.StartWith("simhost: the run failed in frame 1: worker 0 lost: the worker closed its pipe (EOF) (--on-worker-failure fail)"));
            Assert.That(output.ToString(), Does.Contain("frames:          1\n").And.Contain("workers down:    1 of 2 (the run ended at the failure: --on-worker-failure fail)"));
        });
    }

    [TestCase(StorageMode.Snapshot, 1)]
    [TestCase(StorageMode.Shared, 3)]
    public async Task UnderFail_AWorkerExitedButNotYetCounted_FailsTheRunBeforeTheSummary(StorageMode storage, int ticks)
    {
        // The frames' checks see nothing; only the last look before the summary finds the exited worker.
        var status = new FakeWorkerStatus { HasUnnoticedExit = true };
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await ScenarioRun.ExecuteAsync(
            Settings(workers: 2) with { Frames = 3, OnWorkerFailure = WorkerFailurePolicy.Fail, Storage = storage, TicksPerFrame = ticks },
            new RunConsole(output, error, IsTerminal: false),
            StartWith(status),
            CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.RunFailed));
            Assert.That(error.ToString(), Does.StartWith("simhost: the run failed after frame 3: a worker exited (--on-worker-failure fail)"));
            Assert.That(output.ToString(), Does.Contain("frames:          3\n").And.Contain("stopped by:      a failure (--on-worker-failure fail)"));
        });
    }

    [TestCase(StorageMode.Snapshot, 1)]
    [TestCase(StorageMode.Shared, 3)]
    public async Task UnderRetry_AWorkerLost_IsNoFailure(StorageMode storage, int ticks)
    {
        var status = new FakeWorkerStatus { WorkersLost = 1, Restarts = 1, HasUnnoticedExit = true };
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await ScenarioRun.ExecuteAsync(
            Settings(workers: 2) with { Frames = 3, Storage = storage, TicksPerFrame = ticks }, new RunConsole(output, error, IsTerminal: false), StartWith(status), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), error.ToString());
            Assert.That(output.ToString(), Does.Contain("stopped by:      frames done").And.Not.Contain("workers down"));
        });
    }

    [Test]
    public async Task ALogFileThatCannotBeWritten_IsRefusedAtStart_Exit2()
    {
        // Its folder would have to be made inside a regular file: no user, root included, can write it.
        var regularFile = Path.Combine(_folder, "not-a-folder");
        await File.WriteAllTextAsync(regularFile, "x");
        var logFile = Path.Combine(regularFile, "run.log");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await ScenarioRun.ExecuteAsync(
            Settings(workers: 0) with { LogFile = logFile, Frames = 3 }, new RunConsole(output, error, IsTerminal: false), startWorkers: null, CancellationToken.None);

        var lines = error.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(lines, Has.Length.EqualTo(1), error.ToString());
            Assert.That(lines[0], Does.StartWith($"simhost: --log-file '{logFile}' cannot be written (").And.EndWith("); give a writable path."));
            Assert.That(output.ToString(), Is.Empty, "no frame ran");
        });
    }

    [Test]
    public async Task TheSummary_IsPrintedOnlyOnceTheWorkersAreStopped()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var status = new FakeWorkerStatus();
        var pool = new DisposalWitness(output);

        var exitCode = await ScenarioRun.ExecuteAsync(
            Settings(workers: 1) with { Frames = 3 },
            new RunConsole(output, error, IsTerminal: false),
            (settings, _, _, _, _) =>
            {
                status.WorkerSlots = settings.Workers;
                status.WorkersAlive = settings.Workers;
                return Task.FromResult<(IRangeExecutor, IWorkerStatus)>((pool, status));
            },
            CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), error.ToString());
            Assert.That(pool.OutputWhenDisposed, Is.Empty, "nothing of the summary was printed before the workers were stopped");
            Assert.That(output.ToString(), Does.Contain("checksum: "));
        });
    }

    [Test]
    public async Task ResumedRun_RatesOnlyTheFramesItRan_AndNoneWhenItStartsAtItsLastFrame()
    {
        var checkpoints = Path.Combine(_folder, "checkpoints");
        // One checkpoint, after the last frame (the run waits for it): a second one could be skipped while it is written.
        var first = await RunAsync(Settings(workers: 0) with { Frames = 4, CheckpointEvery = 4, CheckpointDirectory = checkpoints });
        var atTheEnd = await RunAsync(Settings(workers: 0) with { Frames = 4, ResumeDirectory = checkpoints });
        var further = await RunAsync(Settings(workers: 0) with { Frames = 6, ResumeDirectory = checkpoints });

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.Match(@"wall time: +[0-9.]+ s \([0-9.]+ frames/s\)\n"));
            Assert.That(atTheEnd, Does.Contain("frames:          4\n").And.Match(@"wall time: +[0-9.]+ s \(no frame ran\)\n"));
            Assert.That(further, Does.Contain("frames:          6\n").And.Match(@"wall time: +[0-9.]+ s \([0-9.]+ frames/s over the 2 frames run since frame 4\)\n"));
        });
    }

    [Test]
    public async Task TheLastFramesCheckpoint_IsNeverSkipped_EvenWhenOneIsInFlight()
    {
        // Every frame due: at 1000 entities a write's fsync outlasts several frames, so most are skipped, never the last.
        var checkpoints = Path.Combine(_folder, "every-frame");
        var summary = await RunAsync(Settings(workers: 0) with { Frames = 12, CheckpointEvery = 1, CheckpointDirectory = checkpoints });

        Assert.Multiple(() =>
        {
            Assert.That(CheckpointStore.Newest(checkpoints), Does.EndWith("checkpoint-000000000012"), summary);
            Assert.That(summary, Does.Match(@"checkpoints: +\d+ written, \d+ skipped"));
        });
    }

    [Test]
    public async Task ACheckpointDirInUseByAnotherRun_IsRefusedAtStart_Exit2()
    {
        var checkpoints = Directory.CreateDirectory(Path.Combine(_folder, "in-use")).FullName;
        using var otherRun = new CheckpointStore(checkpoints, kept: 3).TryLockForWriting();
        Assert.That(otherRun, Is.Not.Null, "the stand-in for the other run holds the lock");

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ScenarioRun.ExecuteAsync(
            Settings(workers: 0) with { Frames = 3, CheckpointEvery = 1, CheckpointDirectory = checkpoints },
            new RunConsole(output, error, IsTerminal: false),
            startWorkers: null,
            CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(error.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1), error.ToString());
            Assert.That(error.ToString(), Does.Contain("is in use: another run is writing checkpoints to it; give each run its own --checkpoint-dir"));
            Assert.That(CheckpointStore.List(checkpoints), Is.Empty, "the refused run wrote nothing");
        });
    }

    [Test]
    public async Task Resume_OfNoCheckpointOrOfOneCheckpointsOwnFolder_IsOneLine_BeforeAnyWorkerStarts([Values] bool isOneCheckpoint)
    {
        var checkpoints = Path.Combine(_folder, "one");
        await RunAsync(Settings(workers: 0) with { Frames = 2, CheckpointEvery = 2, CheckpointDirectory = checkpoints });
        var resume = isOneCheckpoint ? CheckpointStore.Newest(checkpoints)! : Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName;
        var workersStarted = false;

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ScenarioRun.ExecuteAsync(
            Settings(workers: 1) with { Frames = 4, ResumeDirectory = resume },
            new RunConsole(output, error, IsTerminal: false),
            (_, _, _, _, _) =>
            {
                workersStarted = true;
                throw new InvalidOperationException("no worker may start for a --resume that cannot be resumed");
            },
            CancellationToken.None);

        var expected = isOneCheckpoint
            ? $"simhost: --resume '{resume}' is one checkpoint, not a --checkpoint-dir; give the folder that holds it ('{checkpoints}')."
            : $"simhost: --resume '{resume}' holds no complete checkpoint";
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(error.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1), error.ToString());
            Assert.That(error.ToString(), Does.StartWith(expected));
            Assert.That(workersStarted, Is.False, "the error comes before any worker starts");
        });
    }

    [Test]
    public async Task Resume_FromACheckpointPastFrames_IsRefused_Exit2()
    {
        var checkpoints = Path.Combine(_folder, "past");
        await RunAsync(Settings(workers: 0) with { Frames = 6, CheckpointEvery = 6, CheckpointDirectory = checkpoints });

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ScenarioRun.ExecuteAsync(
            Settings(workers: 0) with { Frames = 4, ResumeDirectory = checkpoints },
            new RunConsole(output, error, IsTerminal: false),
            startWorkers: null,
            CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(error.ToString(), Does.Contain("is of frame 6, past --frames 4; give --frames 6 or more (0 for no end)"));
        });
    }

    [Test]
    public async Task Resume_OfAManifestMadeToSayAnotherFrame_IsDamage_NotAFramesToRaise()
    {
        // The manifest's hash line recomputed: only the files tell that frame 2^62 is not the frame they were written at.
        var checkpoints = Path.Combine(_folder, "forged");
        await RunAsync(Settings(workers: 0) with { Frames = 2, CheckpointEvery = 2, CheckpointDirectory = checkpoints });
        var path = Path.Combine(CheckpointStore.Newest(checkpoints)!, CheckpointFileNames.Manifest);
        var manifest = CheckpointManifest.Decode(File.ReadAllBytes(path));
        File.WriteAllBytes(path, (manifest with { Simulation = manifest.Simulation! with { FrameCount = 1L << 62 } }).Encode());

        var (exitCode, error) = await RunFailingAsync(Settings(workers: 0) with { Frames = 4, ResumeDirectory = checkpoints });

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.RunFailed));
            Assert.That(error, Does.Contain($"checkpoint entities.seg: is of frame 2, the manifest says frame {1L << 62} (BadSegment); move"));
            Assert.That(error, Does.Not.Contain("give --frames"));
        });
    }

    [Test]
    public async Task AFreshRun_IntoAFolderHoldingAnotherRunsCheckpoints_IsRefused_Exit2()
    {
        var checkpoints = Path.Combine(_folder, "taken");
        await RunAsync(Settings(workers: 0) with { Frames = 2, CheckpointEvery = 2, CheckpointDirectory = checkpoints });

        var (exitCode, error) = await RunFailingAsync(Settings(workers: 0) with { Frames = 2, CheckpointEvery = 2, CheckpointDirectory = checkpoints });

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(error, Does.Contain("already holds checkpoints of another run (the newest of frame 2); continue that run with --resume"));
        });
    }

    [Test]
    public async Task Resume_OfACheckpointRecordingAFloatDefaultAsWidened_IsTheSameRun()
    {
        // An earlier build recorded the particles' gravity default as the float widened: -9.8100004196167.
        var checkpoints = Path.Combine(_folder, "widened");
        await RunAsync(Settings(workers: 0) with { Frames = 2, CheckpointEvery = 2, CheckpointDirectory = checkpoints });
        RewriteRun(checkpoints, run => run["param gravity"] = "-9.8100004196167");

        var resumed = await RunAsync(Settings(workers: 0) with { Frames = 4, ResumeDirectory = checkpoints });

        Assert.That(resumed, Does.Contain("frames:          4\n"));
    }

    [Test]
    public async Task Resume_OfACheckpointWithAParameterTheModuleNoLongerHas_IsRefused_Exit2()
    {
        var checkpoints = Path.Combine(_folder, "dropped");
        await RunAsync(Settings(workers: 0) with { Frames = 2, CheckpointEvery = 2, CheckpointDirectory = checkpoints });
        RewriteRun(checkpoints, run => run["param herd"] = "50000");

        var (exitCode, error) = await RunFailingAsync(Settings(workers: 0) with { Frames = 4, ResumeDirectory = checkpoints });

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(error, Does.Contain("was written with param herd 50000, which this module no longer has"));
        });
    }

    // Rewrites the run identity in the newest checkpoint's manifest (its own hash line recomputed by Encode).
    private static void RewriteRun(string checkpoints, Action<Dictionary<string, string>> change)
    {
        var path = Path.Combine(CheckpointStore.Newest(checkpoints)!, CheckpointFileNames.Manifest);
        var manifest = CheckpointManifest.Decode(File.ReadAllBytes(path));
        var run = new Dictionary<string, string>(manifest.Run, StringComparer.Ordinal);
        change(run);
        File.WriteAllBytes(path, (manifest with { Run = run }).Encode());
    }

    private static async Task<(int ExitCode, string Error)> RunFailingAsync(RunSettings settings)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ScenarioRun.ExecuteAsync(settings, new RunConsole(output, error, IsTerminal: false), startWorkers: null, CancellationToken.None);
        return (exitCode, error.ToString());
    }

    private static async Task<string> RunAsync(RunSettings settings)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ScenarioRun.ExecuteAsync(settings, new RunConsole(output, error, IsTerminal: false), startWorkers: null, CancellationToken.None);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), error.ToString());
        return output.ToString().ReplaceLineEndings("\n");
    }

    private static InvalidOperationException Broken()
    {
        try
        {
            throw new InvalidOperationException("the pump broke");
        }
        catch (InvalidOperationException exception)
        {
            return exception;
        }
    }

    /// <summary>Starts no process: the ranges run in-process, and <paramref name="status"/> says what the workers did.</summary>
    private static ScenarioRun.WorkerPoolFactory StartWith(FakeWorkerStatus status) => (settings, _, _, _, _) =>
    {
        status.WorkerSlots = settings.Workers;
        status.WorkersAlive = settings.Workers;
        IRangeExecutor executor = new InProcessRangeExecutor(JobCatalog.FromAssemblies([typeof(SimHost.Physics.ParticlesModule).Assembly]));
        return Task.FromResult<(IRangeExecutor, IWorkerStatus)>((executor, status));
    };

    /// <summary>Runs ranges in-process, and notes what stdout held when the run stopped it.</summary>
    private sealed class DisposalWitness(StringWriter output) : IRangeExecutor, IAsyncDisposable
    {
        private readonly InProcessRangeExecutor _inner = new(JobCatalog.FromAssemblies([typeof(SimHost.Physics.ParticlesModule).Assembly]));

        public string? OutputWhenDisposed { get; private set; }

        public int ParallelSlots => _inner.ParallelSlots;

        public ValueTask<RangeOutcome> RunAsync(SimHost.Layout.Segments.SharedSegment segment, JobRange range, bool mayBlockCaller, CancellationToken cancellationToken) =>
            _inner.RunAsync(segment, range, mayBlockCaller, cancellationToken);

        public void EnsureJobsAvailable(IReadOnlyCollection<string> jobNames)
        {
            // In-process: every job of the catalog runs.
        }

        public ValueTask DisposeAsync()
        {
            OutputWhenDisposed = output.ToString();
            return ValueTask.CompletedTask;
        }
    }

    private RunSettings Settings(int workers) => new()
    {
        Workers = workers,
        Entities = 1000,
        Frames = 0,
        RunDirectoryRoot = _folder,
        LogLevel = Serilog.Events.LogEventLevel.Warning,
    };
}
