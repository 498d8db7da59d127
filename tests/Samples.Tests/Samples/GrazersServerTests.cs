using System.Diagnostics;
using SimHost.Host.Modules;
using SimHost.Host.SharedStorage;
using SimHost.Tests.Samples.Support;

namespace SimHost.Tests.Samples.Samples;

/// <summary>The server sample, started as a user starts it: N frames on two workers, then the library's checksum.</summary>
[NonParallelizable]
public sealed class GrazersServerTests
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(120);
    private Process? _server;

    [TearDown]
    public void KillTheServer()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
        }

        _server?.Dispose();
    }

    [Test]
    public async Task Server_RunsNFrames_AndPrintsTheChecksumOfTheLibraryRun()
    {
        const int Frames = 60;
        var (exitCode, output, stderr) = await RunServerAsync(SamplePaths.GrazersServer, "--frames", "60", "--workers", "2", "--hz", "30", "--seed", "9", "--entities", "1200", "--field", "32");

        var module = ModuleLoader.Load(SamplePaths.GrazersModule);
        var library = await ModuleRun.RunAsync(module, ModuleContext.For(module, seed: 9, entities: 1200, parameters: ["field=32"]), 0, StorageMode.Shared, Frames, 1.0 / 30);

        var checksumLine = output.Split('\n').Select(line => line.Trim()).LastOrDefault(line => line.StartsWith("checksum: ", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, stderr);
            Assert.That(checksumLine, Is.EqualTo($"checksum: {library.Checksum}"), output);
            Assert.That(output, Does.Contain("Stopped after 60 frames"));
        });
    }

    [Test]
    public async Task Server_RefusesABadParameter_InOneLine()
    {
        var (exitCode, stdout, stderr) = await RunServerAsync(SamplePaths.GrazersServer, "--field", "many");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(stderr.Trim(), Is.EqualTo("Grazers.Server: --field takes a whole number from 8 to 4096, not 'many' (see 'Grazers.Server --help')"));
            Assert.That(stdout, Is.Empty, "nothing started");
        });
    }

    // Each was a stack trace, a Generic Host crit block or silence in the new-user walkthrough, and two of them exited 0.
    [TestCase("--hz abc", "--hz takes a whole number from 1 to 1000, not 'abc'")]
    [TestCase("--hz 0", "--hz takes a whole number from 1 to 1000, not '0'")]
    [TestCase("--workers -3", "--workers takes a whole number from 0 to 256, not '-3'")]
    [TestCase("--frames -1", "--frames takes a whole number 0 or more, not '-1'")]
    [TestCase("--seed x", "--seed takes a whole number 0 or more, not 'x'")]
    [TestCase("--bogus 1", "'--bogus'")]
    [TestCase("--entities 0", "--entities takes a whole number from 1 to 10000000, not '0'")]
    [TestCase("--entities many", "--entities takes a whole number from 1 to 10000000, not 'many'")]
    [TestCase("--herd 100", "'--herd'")] // the starting herd is --entities; the old option is refused, not ignored
    [TestCase("--field 0", "--field takes a whole number from 8 to 4096, not '0'")]
    [TestCase("--grass-growth fast", "--grass-growth takes a number from 0 to 10, not 'fast'")]
    [TestCase("--hz", "'--hz'")]
    public async Task Server_RefusesABadOption_InOneLineOnStderr_WithExitCode2_BeforeStarting(string badOption, string message)
    {
        // A short run if the option were accepted (the hang guard would end a run until Ctrl-C).
        string[] arguments = badOption.StartsWith("--frames", StringComparison.Ordinal) ? badOption.Split(' ') : ["--frames", "10", .. badOption.Split(' ')];

        var (exitCode, stdout, stderr) = await RunServerAsync(SamplePaths.GrazersServer, arguments);

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2), stderr);
            Assert.That(lines, Has.Length.EqualTo(1), stderr);
            Assert.That(lines.FirstOrDefault(), Does.StartWith("Grazers.Server: ").And.Contain(message).And.EndWith("(see 'Grazers.Server --help')"));
            Assert.That(stderr, Does.Not.Contain("Unhandled exception").And.Not.Contain("   at "), "no stack trace");
            Assert.That(stdout, Is.Empty, "the host did not start: no log, no checksum");
        });
    }

    [Test]
    public async Task Server_ExitsWith1_WhenTheSimulationFailsAfterTheStart()
    {
        // The server's output without simhost-worker: the pool fails to start once the host is running.
        using var directory = new TemporaryDirectory();
        var output = Path.GetDirectoryName(SamplePaths.GrazersServer)!;
        foreach (var file in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith("simhost-worker", StringComparison.Ordinal)))
        {
            var copy = Path.Combine(directory.Path, Path.GetRelativePath(output, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        var (exitCode, stdout, _) = await RunServerAsync(Path.Combine(directory.Path, "Grazers.Server.dll"), "--frames", "10", "--workers", "1", "--entities", "100", "--field", "16");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), stdout);
            Assert.That(stdout, Does.Contain("The simulation failed").And.Contain("simhost-worker"));
            Assert.That(stdout, Does.Not.Contain("checksum: "));
        });
    }

    /// <summary>Starts the server with <paramref name="arguments"/> and waits for it to exit, within the hang guard.</summary>
    private async Task<(int ExitCode, string Stdout, string Stderr)> RunServerAsync(string serverPath, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add(serverPath);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        _server = Process.Start(startInfo)!;
        var stdout = _server.StandardOutput.ReadToEndAsync();
        var stderr = _server.StandardError.ReadToEndAsync();
        await _server.WaitForExitAsync().WaitAsync(s_hangGuard);
        return (_server.ExitCode, await stdout, await stderr);
    }

    /// <summary>A directory under the temp folder, deleted with everything in it.</summary>
    private sealed class TemporaryDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("grazers-server-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
