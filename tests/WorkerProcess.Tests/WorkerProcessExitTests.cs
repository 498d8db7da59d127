using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using SimHost.Layout.Protocol;
using SimHost.Worker;

namespace SimHost.Tests.WorkerProcess;

/// <summary>The real simhost-worker process: bad arguments, and ending by itself when the host goes away.</summary>
[TestFixture]
[NonParallelizable]
public sealed class WorkerProcessExitTests
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(60);
    private readonly List<Process> _started = [];

    [TearDown]
    public void TearDown()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }

        _started.Clear();
    }

    [Test]
    public async Task BadArguments_ExitWithCode2_AndOneLine()
    {
        var process = Start(["--pipe", "p"], token: null);

        var stderr = await process.StandardError.ReadToEndAsync();
        await WaitForExitAsync(process, "the worker with bad arguments");

        Assert.Multiple(() =>
        {
            Assert.That(process.ExitCode, Is.EqualTo(WorkerExitCodes.BadArguments));
            Assert.That(stderr.Trim(), Does.StartWith("simhost-worker: missing --worker-id").And.Not.Contain('\n'));
        });
    }

    [Test]
    public async Task ParentThatIsNotTheParent_EndsTheWorker()
    {
        // pid 1 exists but is never the worker's parent: the watch must treat the host as gone.
        var process = Start(Arguments("unused-pipe", parentPid: 1), AuthToken.CreateRandom());

        await WaitForExitAsync(process, "the worker whose parent is gone");

        Assert.That(process.ExitCode, Is.EqualTo(WorkerExitCodes.HostGone));
    }

    [Test]
    public async Task HostClosingThePipe_EndsTheWorker()
    {
        var pipePath = Path.Combine(Path.GetTempPath(), $"simhost-wtest-{Guid.NewGuid():N}"[..30] + ".pipe");
        try
        {
            var token = AuthToken.CreateRandom();
            await using (var server = new NamedPipeServerStream(pipePath, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly))
            {
                var process = Start(Arguments(pipePath, Environment.ProcessId), token);
                using var cancel = new CancellationTokenSource(s_hangGuard);
                await server.WaitForConnectionAsync(cancel.Token);
                var hello = await new FrameReader(server).ReadAsync(cancel.Token);
                using var writer = new FrameWriter(server);
                await writer.WriteAsync(new WelcomeMessage(0, 1, TimeSpan.FromSeconds(5), WorkerLogLevel.Information), 0, cancel.Token);

                Assert.That(hello?.Message, Is.TypeOf<HelloMessage>().With.Property(nameof(HelloMessage.AuthToken)).EqualTo(token));
                server.Disconnect();
                await WaitForExitAsync(process, "the worker after the host closed its pipe");
                Assert.That(process.ExitCode, Is.EqualTo(WorkerExitCodes.HostGone));
            }
        }
        finally
        {
            File.Delete(pipePath);
        }
    }

    private static string[] Arguments(string pipe, int parentPid) =>
        ["--pipe", pipe, "--worker-id", "0", "--parent-pid", parentPid.ToString(CultureInfo.InvariantCulture)];

    private static async Task WaitForExitAsync(Process process, string what)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(s_hangGuard);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Hung for {s_hangGuard}: {what}");
        }
    }

    private Process Start(string[] arguments, AuthToken? token)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var startInfo = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "simhost-worker.dll"));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo)!;
        _started.Add(process);
        if (token is { } secret)
        {
            process.StandardInput.WriteLine(secret.ToHexString());
        }

        process.StandardInput.Close();
        if (token is not null)
        {
            process.ErrorDataReceived += (_, e) => TestContext.Progress.WriteLine(e.Data);
            process.BeginErrorReadLine();
        }

        return process;
    }
}
