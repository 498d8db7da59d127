using System.IO.Pipes;

namespace SimHost.Benchmarks.PipeEcho;

/// <summary>
/// Connects to the named pipe given as the only argument and sends back every <see cref="FrameSizeBytes"/>-byte frame
/// it reads, until the other end closes. The same pipe options as a worker's, so the ping-pong measures the transport
/// a worker round trip rides on, with no protocol, job or segment on top.
/// </summary>
internal static class Program
{
    /// <summary>The size of one ping and one pong.</summary>
    internal const int FrameSizeBytes = 16;

    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 1)
        {
            await Console.Error.WriteLineAsync("usage: simhost-pipe-echo PIPE-PATH");
            return 2;
        }

        await using var pipe = new NamedPipeClientStream(
            ".", args[0], PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        await pipe.ConnectAsync(TimeSpan.FromSeconds(15), CancellationToken.None);
        var frame = new byte[FrameSizeBytes];
        while (true)
        {
            try
            {
                await pipe.ReadExactlyAsync(frame);
            }
            catch (EndOfStreamException)
            {
                return 0;
            }

            await pipe.WriteAsync(frame);
        }
    }
}
