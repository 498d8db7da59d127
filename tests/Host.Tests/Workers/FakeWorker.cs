using System.Collections.Immutable;
using System.IO.Pipes;
using Microsoft.Extensions.Logging;
using SimHost.Host.Workers;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.Host.Workers;

/// <summary>
/// A worker impostor with the right token on a real pipe: the host's <see cref="WorkerConnection"/> on one end, a
/// client that can write any bytes on the other.
/// </summary>
internal sealed class FakeWorker : IAsyncDisposable
{
    public const uint WorkerId = 1;
    private static readonly ImmutableArray<ulong> s_layouts = [0xABCD];

    private FakeWorker(string pipePath, NamedPipeClientStream pipe, WorkerConnection connection)
    {
        PipePath = pipePath;
        Pipe = pipe;
        Reader = new FrameReader(pipe);
        Writer = new FrameWriter(pipe);
        Connection = connection;
    }

    public string PipePath { get; }

    public NamedPipeClientStream Pipe { get; }

    public FrameReader Reader { get; }

    public FrameWriter Writer { get; }

    /// <summary>The host's end.</summary>
    public WorkerConnection Connection { get; }

    public static async Task<FakeWorker> ConnectAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var pipePath = Path.Combine(Path.GetTempPath(), $"simhost-fake-{Guid.NewGuid():N}"[..30] + ".pipe");
        var token = AuthToken.CreateRandom();
        var handshake = new WorkerHandshake(WorkerId, null, token, new HashSet<ulong>(s_layouts));
        var welcome = new WelcomeMessage(WorkerId, 1, TimeSpan.FromSeconds(5), WorkerLogLevel.Debug);
        var accepting = WorkerListener.AcceptAsync(pipePath, handshake, welcome, null, logger, cancellationToken);
        var pipe = new NamedPipeClientStream(".", pipePath, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        try
        {
            await pipe.ConnectAsync(cancellationToken);
            using (var writer = new FrameWriter(pipe))
            {
                await writer.WriteAsync(new HelloMessage(WorkerId, Environment.ProcessId, ProtocolConstants.Version, token, s_layouts), 0, cancellationToken);
                await writer.WriteAsync(new JobCatalogMessage(["physics.step"], []), 0, cancellationToken);
            }

            await new FrameReader(pipe).ReadAsync(cancellationToken);
            return new FakeWorker(pipePath, pipe, await accepting);
        }
        catch
        {
            await pipe.DisposeAsync();
            File.Delete(pipePath);
            throw;
        }
    }

    public static byte[] Encode(ProtocolMessage message, ulong sequence)
    {
        var bytes = new byte[FrameEncoder.GetFrameSize(message)];
        FrameEncoder.Encode(message, sequence, bytes);
        return bytes;
    }

    public async Task WriteRawAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await Pipe.WriteAsync(bytes, cancellationToken);
        await Pipe.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Writer.Dispose();
        await Pipe.DisposeAsync();
        await Connection.DisposeAsync();
        File.Delete(PipePath);
    }
}
