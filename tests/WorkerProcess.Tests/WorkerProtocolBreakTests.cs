using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using SimHost.Layout.Protocol;
using SimHost.Worker;

namespace SimHost.Tests.WorkerProcess;

/// <summary>A real simhost-worker facing a host that breaks the protocol after the handshake: it exits with code 4 and one clear line.</summary>
[TestFixture]
[NonParallelizable]
public sealed class WorkerProtocolBreakTests
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(60);
    private string _pipePath = null!;
    private Process? _worker;

    [SetUp]
    public void SetUp() => _pipePath = Path.Combine(Path.GetTempPath(), $"simhost-wbreak-{Guid.NewGuid():N}"[..31] + ".pipe");

    [TearDown]
    public void TearDown()
    {
        if (_worker is { HasExited: false })
        {
            _worker.Kill();
        }

        _worker?.Dispose();
        File.Delete(_pipePath);
    }

    [TestCase("oversized", "FrameTooLarge")]
    [TestCase("version", "UnsupportedVersion")]
    [TestCase("workerbound", "which a worker never receives")]
    public async Task BrokenFrameFromTheHost_EndsTheWorker_WithProtocolBroken(string kind, string logged)
    {
        var token = AuthToken.CreateRandom();
        await using var server = new NamedPipeServerStream(_pipePath, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        var stderr = new List<string>();
        _worker = Start(token, stderr);
        using var cancel = new CancellationTokenSource(s_hangGuard);
        await server.WaitForConnectionAsync(cancel.Token);
        await new FrameReader(server).ReadAsync(cancel.Token);
        using var writer = new FrameWriter(server);
        await writer.WriteAsync(new WelcomeMessage(0, 1, TimeSpan.FromSeconds(5), WorkerLogLevel.Information), 0, cancel.Token);

        await server.WriteAsync(BrokenFrame(kind), cancel.Token);
        await server.FlushAsync(cancel.Token);
        try
        {
            await _worker.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Hung for {s_hangGuard}: the worker after a {kind} frame");
        }

        _worker.WaitForExit();
        string[] lines;
        lock (stderr)
        {
            lines = [.. stderr];
        }

        Assert.Multiple(() =>
        {
            Assert.That(_worker.ExitCode, Is.EqualTo(WorkerExitCodes.ProtocolBroken));
            Assert.That(lines, Has.Some.Contains(logged));
            Assert.That(lines, Has.None.Contains("Unhandled exception"));
        });
    }

    private static byte[] BrokenFrame(string kind)
    {
        var frame = new byte[FrameEncoder.GetFrameSize(PingMessage.Instance)];
        switch (kind)
        {
            case "oversized":
                FrameEncoder.Encode(PingMessage.Instance, 1, frame);
                BinaryPrimitives.WriteUInt32LittleEndian(frame, ProtocolConstants.MaxFrameBytes);
                return frame;
            case "version":
                FrameEncoder.Encode(PingMessage.Instance, 1, frame);
                BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(4), 9);
                return frame;
            default:
                frame = new byte[FrameEncoder.GetFrameSize(PongMessage.Instance)];
                FrameEncoder.Encode(PongMessage.Instance, 1, frame);
                return frame;
        }
    }

    private Process Start(AuthToken token, List<string> stderr)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var startInfo = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "simhost-worker.dll"));
        foreach (var argument in new[] { "--pipe", _pipePath, "--worker-id", "0", "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        process.StandardInput.WriteLine(token.ToHexString());
        process.StandardInput.Close();
        return process;
    }
}
