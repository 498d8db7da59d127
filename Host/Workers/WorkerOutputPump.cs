using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>
/// Reads a worker's standard output or error into lines of at most <see cref="WorkerLogLine.MaxLineChars"/>
/// characters and hands each to the forwarder, with the number of characters cut from its end. Memory stays bounded
/// whatever the worker writes: a job that prints a gigabyte without a newline costs the host 64 Ki characters, not a
/// gigabyte (the runtime's own line reader, <c>BeginOutputReadLine</c>, keeps a whole line before handing it over).
/// </summary>
/// <remarks>
/// A line ends at <c>\n</c>; a <c>\r</c> just before it is dropped. What is left at the end of the stream is a line too.
/// <see cref="DrainedAsync"/> lets whoever waits for the process to exit also wait for its last lines to be logged, as
/// <see cref="Process.WaitForExitAsync"/> did with the runtime's reader.
/// </remarks>
internal static class WorkerOutputPump
{
    private const int ChunkChars = 4096;
    private static readonly ConditionalWeakTable<Process, Task> s_pumps = [];

    /// <summary>Starts reading both streams of <paramref name="process"/> (started with both redirected) into <paramref name="forwarder"/>.</summary>
    public static void Start(Process process, WorkerOutputForwarder forwarder)
    {
        var output = Task.Run(() => PumpAsync(process.StandardOutput, forwarder.ForwardOutput));
        var error = Task.Run(() => PumpAsync(process.StandardError, forwarder.ForwardError));
        s_pumps.AddOrUpdate(process, Task.WhenAll(output, error));
    }

    /// <summary>Completes once both streams of <paramref name="process"/> have ended and their lines were forwarded.</summary>
    public static Task DrainedAsync(Process process) => s_pumps.TryGetValue(process, out var pumps) ? pumps : Task.CompletedTask;

    /// <summary>Reads <paramref name="reader"/> to its end, handing each line (shortened) and its cut length to <paramref name="forward"/>.</summary>
    internal static async Task PumpAsync(TextReader reader, Action<string, long> forward)
    {
        var chunk = new char[ChunkChars];
        var line = new StringBuilder();
        long cut = 0;
        var lastChar = '\0';
        while (true)
        {
            int read;
            try
            {
                read = await reader.ReadAsync(chunk.AsMemory()).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The process was disposed or its pipe broke: whatever came before was forwarded.
                break;
            }

            if (read == 0)
            {
                break;
            }

            var rest = chunk.AsSpan(0, read);
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOf('\n');
                var piece = end < 0 ? rest : rest[..end];
                if (!piece.IsEmpty)
                {
                    var room = WorkerLogLine.MaxLineChars - line.Length;
                    line.Append(piece[..Math.Min(room, piece.Length)]);
                    cut += Math.Max(0, piece.Length - room);
                    lastChar = piece[^1];
                }

                if (end < 0)
                {
                    break;
                }

                Emit(line, cut, lastChar, forward);
                cut = 0;
                lastChar = '\0';
                rest = rest[(end + 1)..];
            }
        }

        if (line.Length > 0 || cut > 0)
        {
            Emit(line, cut, lastChar, forward);
        }
    }

    private static void Emit(StringBuilder line, long cut, char lastChar, Action<string, long> forward)
    {
        // "\r\n": the \r is the line's end, not its text, whether it was kept or cut.
        if (lastChar == '\r')
        {
            if (cut > 0)
            {
                cut--;
            }
            else
            {
                line.Length--;
            }
        }

        var text = line.ToString();
        line.Clear();
        forward(text, cut);
    }
}
