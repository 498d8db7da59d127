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
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { SamplePaths.GrazersServer, "--frames", "60", "--workers", "2", "--hz", "30", "--seed", "9", "--herd", "1200", "--field", "32" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        _server = Process.Start(startInfo)!;
        var stdout = _server.StandardOutput.ReadToEndAsync();
        var stderr = _server.StandardError.ReadToEndAsync();
        await _server.WaitForExitAsync().WaitAsync(s_hangGuard);
        var output = await stdout;

        var module = ModuleLoader.Load(SamplePaths.GrazersModule);
        var library = await ModuleRun.RunAsync(module, ModuleContext.For(module, seed: 9, parameters: ["herd=1200", "field=32"]), 0, StorageMode.Shared, Frames, 1.0 / 30);

        var checksumLine = output.Split('\n').Select(line => line.Trim()).LastOrDefault(line => line.StartsWith("checksum: ", StringComparison.Ordinal));
        Assert.Multiple(async () =>
        {
            Assert.That(_server.ExitCode, Is.Zero, await stderr);
            Assert.That(checksumLine, Is.EqualTo($"checksum: {library.Checksum}"), output);
            Assert.That(output, Does.Contain("Stopped after 60 frames"));
        });
    }

    [Test]
    public async Task Server_RefusesABadParameter_InOneLine()
    {
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { SamplePaths.GrazersServer, "--herd", "many" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        _server = Process.Start(startInfo)!;
        var stderr = _server.StandardError.ReadToEndAsync();
        await _server.WaitForExitAsync().WaitAsync(s_hangGuard);

        Assert.Multiple(async () =>
        {
            Assert.That(_server.ExitCode, Is.EqualTo(2));
            Assert.That((await stderr).Trim(), Is.EqualTo("Grazers.Server: --param herd=many: herd is a whole number from 1 to 10000000"));
        });
    }
}
