using System.Diagnostics;
using System.IO.Pipes;

namespace SimHost.Benchmarks.Baselines;

/// <summary>
/// The floor of a worker round trip: a 16-byte frame sent over a named pipe to a separate echo process
/// (simhost-pipe-echo, copied next to the suite) and read back, with the same pipe options a worker connection uses.
/// </summary>
public sealed class PipePingPong : IAsyncDisposable
{
    /// <summary>The bytes of one ping and of one pong, as the echo process expects.</summary>
    public const int FrameSizeBytes = 16;

    /// <summary>The echo executable's assembly, next to the suite's.</summary>
    public const string EchoAssemblyFileName = "simhost-pipe-echo.dll";

    private static readonly TimeSpan s_exitGrace = TimeSpan.FromSeconds(5);

    private readonly NamedPipeServerStream _pipe;
    private readonly Process _echo;
    private readonly byte[] _ping = new byte[FrameSizeBytes];
    private readonly byte[] _pong = new byte[FrameSizeBytes];

    private PipePingPong(NamedPipeServerStream pipe, Process echo)
    {
        _pipe = pipe;
        _echo = echo;
    }

    /// <summary>Creates the pipe at <paramref name="pipePath"/>, starts the echo process and waits for it to connect.</summary>
    /// <param name="pipePath">The socket path; under 108 bytes.</param>
    /// <param name="cancellationToken">Cancels the wait for the connection.</param>
    /// <returns>The connected ping-pong.</returns>
    /// <exception cref="FileNotFoundException">The echo assembly is not next to the suite.</exception>
    public static async Task<PipePingPong> StartAsync(string pipePath, CancellationToken cancellationToken = default)
    {
        var echoPath = Path.Combine(AppContext.BaseDirectory, EchoAssemblyFileName);
        if (!File.Exists(echoPath))
        {
            throw new FileNotFoundException($"{echoPath} is missing; build bench/SimHost.Benchmarks (it copies the echo next to itself).", echoPath);
        }

        var pipe = new NamedPipeServerStream(
            pipePath, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        var startInfo = new ProcessStartInfo(DotnetHostPath()) { UseShellExecute = false };
        startInfo.ArgumentList.Add(echoPath);
        startInfo.ArgumentList.Add(pipePath);
        Process? echo = null;
        try
        {
            echo = Process.Start(startInfo) ?? throw new InvalidOperationException($"{echoPath} did not start.");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await pipe.WaitForConnectionAsync(timeout.Token).ConfigureAwait(false);
            return new PipePingPong(pipe, echo);
        }
        catch
        {
            await pipe.DisposeAsync().ConfigureAwait(false);
            if (echo is not null)
            {
                echo.Kill();
                echo.Dispose();
            }

            throw;
        }
    }

    /// <summary>Sends one frame and waits for it to come back.</summary>
    /// <returns>A task that completes when the pong has been read.</returns>
    public async ValueTask RoundTripAsync()
    {
        await _pipe.WriteAsync(_ping).ConfigureAwait(false);
        await _pipe.ReadExactlyAsync(_pong).ConfigureAwait(false);
    }

    /// <summary>Closes the pipe, which ends the echo process, and waits for it (killing it past a grace period).</summary>
    /// <returns>A task that completes when the echo process has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        await _pipe.DisposeAsync().ConfigureAwait(false);
        using var grace = new CancellationTokenSource(s_exitGrace);
        try
        {
            await _echo.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _echo.Kill();
        }

        _echo.Dispose();
    }

    // The same dotnet host that runs the suite, as the worker launcher does.
    private static string DotnetHostPath()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath : "dotnet";
    }
}
