using SimHost.Host.Cli;

namespace SimHost.Tests.Host.Cli;

public sealed class RunCommandTests
{
    private static Task<(int ExitCode, RunSettings? Settings, string Output, string Error)> InvokeAsync(params string[] args) =>
        CommandLineRun.InvokeAsync(args);

    [Test]
    public async Task Run_WithoutFlags_UsesTheDocumentedDefaults()
    {
        var (exitCode, settings, _, _) = await InvokeAsync("run");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(settings, Is.EqualTo(new RunSettings()));
    }

    [Test]
    public async Task Run_ReadsEveryFlag()
    {
        var assembly = typeof(RunCommandTests).Assembly.Location;
        var (exitCode, settings, _, error) = await InvokeAsync(
            "run", "--workers", "3", "--threads", "2", "--entities", "5000", "--frames", "0", "--dt", "0.01", "--ticks-per-frame", "4", "--seed", "42",
            "--segment-size", "16MiB", "--max-shared-memory", "1GiB", "--job-timeout", "250ms",
            "--job-assembly", assembly, "--job-assembly", assembly, "--log-level", "debug", "--log-file", "run.log",
            "--run-dir", "/tmp/x", "--on-worker-failure", "fallback", "--max-restarts", "7", "--restart-window", "1m", "--storage", "shared");

        Assert.That(error, Is.Empty);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(settings, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(settings!.Workers, Is.EqualTo(3));
            Assert.That(settings.Threads, Is.EqualTo(2));
            Assert.That(settings.Entities, Is.EqualTo(5000));
            Assert.That(settings.Frames, Is.Zero);
            Assert.That(settings.DtSeconds, Is.EqualTo(0.01));
            Assert.That(settings.TicksPerFrame, Is.EqualTo(4));
            Assert.That(settings.Seed, Is.EqualTo(42UL));
            Assert.That(settings.SegmentSizeBytes, Is.EqualTo(16L << 20));
            Assert.That(settings.MaxSharedMemoryBytes, Is.EqualTo(1L << 30));
            Assert.That(settings.JobTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
            Assert.That(settings.JobAssemblies, Is.EqualTo(new[] { assembly, assembly }));
            Assert.That(settings.LogLevel, Is.EqualTo(Serilog.Events.LogEventLevel.Debug));
            Assert.That(settings.LogFile, Is.EqualTo("run.log"));
            Assert.That(settings.RunDirectoryRoot, Is.EqualTo("/tmp/x"));
            Assert.That(settings.OnWorkerFailure, Is.EqualTo(WorkerFailurePolicy.Fallback));
            Assert.That(settings.MaxRestarts, Is.EqualTo(7));
            Assert.That(settings.RestartWindow, Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(settings.Storage, Is.EqualTo(SimHost.Host.SharedStorage.StorageMode.Shared));
        });
    }

    [TestCase("--workers", "abc")]
    [TestCase("--workers", "-1")]
    [TestCase("--workers", "1.5")]
    [TestCase("--entities", "-1")]
    [TestCase("--entities", "many")]
    [TestCase("--frames", "-3")]
    [TestCase("--threads", "0")]
    [TestCase("--ticks-per-frame", "0")]
    [TestCase("--ticks-per-frame", "1025")]
    [TestCase("--ticks-per-frame", "two")]
    [TestCase("--dt", "0")]
    [TestCase("--dt", "-0.1")]
    [TestCase("--dt", "NaN")]
    [TestCase("--seed", "-1")]
    [TestCase("--segment-size", "10XB")]
    [TestCase("--segment-size", "0")]
    [TestCase("--max-shared-memory", "-5MiB")]
    [TestCase("--job-timeout", "0")]
    [TestCase("--job-timeout", "soon")]
    [TestCase("--job-timeout", "0.5ms")]
    [TestCase("--job-timeout", "1194h")]
    [TestCase("--job-timeout", "4294967295ms")]
    [TestCase("--job-timeout", "10675199.02:48:05")]
    [TestCase("--job-assembly", "/definitely/not/here.dll")]
    [TestCase("--log-level", "loud")]
    [TestCase("--on-worker-failure", "panic")]
    [TestCase("--storage", "mmap")]
    [TestCase("--checkpoint-priority", "high")]
    [TestCase("--max-restarts", "-1")]
    [TestCase("--restart-window", "0s")]
    [TestCase("--param", null)]
    [TestCase("--job-assembly", null)]
    public async Task Run_RejectsABadValue_WithOneLineNamingTheFlag(string flag, string? value)
    {
        // A null value: the flag is the last word, its value missing.
        var (exitCode, settings, _, error) = await InvokeAsync(value is null ? ["run", flag] : ["run", flag, value]);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
        Assert.That(settings, Is.Null, "the run must not start");
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.StartWith("simhost: ").And.Contain(flag));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace for a user error");
    }

    [TestCase(new string[0], "Lowest")]
    [TestCase(new[] { "--checkpoint-priority", "normal" }, "Normal")]
    [TestCase(new[] { "--checkpoint-priority", "LOWEST" }, "Lowest")]
    public async Task Run_ReadsTheCheckpointPriority_LowestUnlessGiven(string[] flags, string expected)
    {
        var (exitCode, settings, _, error) = await InvokeAsync(["run", "--checkpoint-every", "10", "--checkpoint-dir", "ckpt", .. flags]);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), error);
        Assert.That(settings!.CheckpointPriority.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Run_RejectsAFrameCountPastTheLargest_NamingTheRange()
    {
        var (exitCode, _, _, error) = await InvokeAsync("run", "--frames", "99999999999999999999");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
        Assert.That(error, Does.Contain("--frames accepts a whole number from 0 to 9223372036854775807, not '99999999999999999999'."));
    }

    [TestCase("1ms", 1.0)]
    [TestCase("1193h", 4_294_800_000.0)]
    [TestCase("4294967294ms", 4_294_967_294.0)]
    public async Task Run_AcceptsAJobTimeoutAWorkerCanBeTold_UpToAbout49Days(string value, double milliseconds)
    {
        var (exitCode, settings, _, error) = await InvokeAsync("run", "--job-timeout", value);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), error);
        Assert.That(settings!.JobTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Test]
    public async Task Run_RejectsAJobTimeoutPastWhatAWorkerCanBeTold_NamingTheRange()
    {
        var (exitCode, _, _, error) = await InvokeAsync("run", "--job-timeout", "1194h");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
        Assert.That(error, Does.Contain("--job-timeout accepts a duration from 1ms to 1193h (about 49 days, the longest a timer waits), not '1194h'."));
    }

    [Test]
    public async Task Run_RejectsASegmentLargerThanTheSharedMemoryCap()
    {
        var (exitCode, settings, _, error) = await InvokeAsync("run", "--segment-size", "2GiB", "--max-shared-memory", "1GiB");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
        Assert.That(settings, Is.Null);
        Assert.That(error, Does.Contain("--segment-size").And.Contain("--max-shared-memory"));
    }

    [TestCase("--workers", "1", "2")]
    [TestCase("--storage", "shared", "snapshot")]
    [TestCase("--checkpoint-dir", "a", "b")]
    public async Task Run_RejectsAFlagGivenTwice_NamingItAndBothValues(string flag, string first, string second)
    {
        var (exitCode, settings, _, error) = await InvokeAsync("run", flag, first, flag, second);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(settings, Is.Null);
            Assert.That(error.TrimEnd(), Is.EqualTo($"simhost: {flag} is given 2 times ({first}, {second}): give it once (see 'simhost run --help')"));
        });
    }

    [Test]
    public async Task UnknownFlag_IsAUsageError()
    {
        var (exitCode, _, _, error) = await InvokeAsync("run", "--warp-speed");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
        Assert.That(error, Does.Contain("--warp-speed"));
    }

    [Test]
    public async Task Run_RejectsEntitiesBeyondTheColumnLimit_NamingTheComponentItsRowSizeAndTheLimit()
    {
        var (exitCode, settings, _, error) = await InvokeAsync("run", "--entities", "200000000");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(settings, Is.Null);
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.Contain("--entities 200000000").And.Contain("Position").And.Contain("12 bytes a row").And.Contain("at most 178956928"));
            Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public async Task Run_RejectsOneEntityPastTheColumnLimit_NamingBytesOverTheLimit()
    {
        // 178956929 rows of 12 bytes are 2147483148 bytes, under 2 GiB; reserved in blocks of 64 rows they are 178956992
        // rows, 2147483904 bytes: the bytes the error names must be those over the limit.
        var (exitCode, _, _, error) = await InvokeAsync("run", "--entities", "178956929");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(error, Does.Contain("would need 2147483904 bytes (12 bytes a row, rows reserved in blocks of 64), over the 2147483647-byte"));
        });
    }

    [Test]
    public async Task Run_AcceptsEntitiesUpToTheColumnLimit()
    {
        var (exitCode, settings, _, error) = await InvokeAsync("run", "--entities", "178956928");

        Assert.That(error, Is.Empty);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(settings!.Entities, Is.EqualTo(178_956_928), "2 GiB / 12-byte Position rows, down to a multiple of 64");
    }

    [Test]
    public async Task Help_ShowsTheRealEntitiesBound_AndDefaultsAsAUserTypesThem()
    {
        var (_, _, output, _) = await InvokeAsync("run", "--help");

        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("0 to 178956928"));
            Assert.That(output, Does.Contain("[default: 64MiB]").And.Contain("[default: 4GiB]"));
            Assert.That(output, Does.Contain("[default: 10s]").And.Contain("[default: 30s]"));
            Assert.That(output, Does.Contain("[default: shared]").And.Contain("[default: retry]").And.Contain("[default: information]"));
            Assert.That(output, Does.Not.Contain("67108864").And.Not.Contain("00:00:10").And.Not.Contain("[default: Shared]"));
        });
    }

    [Test]
    public async Task Help_ListsEveryFlag()
    {
        var (exitCode, _, output, _) = await InvokeAsync("run", "--help");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        foreach (var flag in new[] { "--workers", "--entities", "--frames", "--dt", "--seed", "--segment-size", "--max-shared-memory", "--job-timeout", "--job-assembly", "--log-level", "--log-file", "--run-dir", "--on-worker-failure", "--max-restarts", "--restart-window", "--storage", "--ticks-per-frame", "--threads" })
        {
            Assert.That(output, Does.Contain(flag));
        }
    }
}
