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
/// A line ends at <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c> (as <see cref="TextReader.ReadLine"/> and the runtime's
/// reader end it, so a job's <c>\r</c> progress bar stays one line per update); what is left at the end of the stream is
/// a line too. The readers are disposed when their stream ends: a <see cref="Process"/> whose streams were read
/// directly leaves closing them to the reader. A forwarder that throws loses that line only: the stream is still
/// drained, or the worker would block on a full pipe. <see cref="DrainedAsync"/> lets whoever waits for the process to
/// exit also wait for its last lines to be logged, as <see cref="Process.WaitForExitAsync"/> did with the runtime's
/// reader.
/// </remarks>
internal static class WorkerOutputPump
{
    private const int ChunkChars = 4096;
    private static readonly ConditionalWeakTable<Process, Task> s_pumps = [];

    /// <summary>Starts reading both streams of <paramref name="process"/> (started with both redirected) into <paramref name="forwarder"/>.</summary>
    public static void Start(Process process, WorkerOutputForwarder forwarder)
    {
        // Taken here, on the starting thread: the process may be disposed before a pool thread would ask for them.
        var output = process.StandardOutput;
        var error = process.StandardError;
        s_pumps.AddOrUpdate(process, Task.WhenAll(
            Task.Run(() => PumpAsync(output, forwarder.ForwardOutput)),
            Task.Run(() => PumpAsync(error, forwarder.ForwardError))));
    }

    /// <summary>Completes once both streams of <paramref name="process"/> have ended and their lines were forwarded.</summary>
    public static Task DrainedAsync(Process process) => s_pumps.TryGetValue(process, out var pumps) ? pumps : Task.CompletedTask;

    /// <summary>
    /// Reads <paramref name="reader"/> to its end, handing each line (shortened) and its cut length to
    /// <paramref name="forward"/>, then disposes the reader. Never throws.
    /// </summary>
    internal static async Task PumpAsync(TextReader reader, Action<string, long> forward)
    {
        using var owned = reader;
        var chunk = new char[ChunkChars];
        var line = new LineBuffer(forward);
        var afterCarriageReturn = false;
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

            // The \n of a \r\n split across two reads belongs to the line the \r ended.
            if (afterCarriageReturn && rest[0] == '\n')
            {
                rest = rest[1..];
            }

            afterCarriageReturn = false;
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOfAny('\r', '\n');
                if (end < 0)
                {
                    line.Append(rest);
                    break;
                }

                line.Append(rest[..end]);
                line.Emit();
                var lineEnd = end + 1;
                if (rest[end] == '\r')
                {
                    if (lineEnd == rest.Length)
                    {
                        afterCarriageReturn = true;
                    }
                    else if (rest[lineEnd] == '\n')
                    {
                        lineEnd++;
                    }
                }

                rest = rest[lineEnd..];
            }
        }

        line.EmitIfAny();
    }

    /// <summary>One line being read: at most the cap of its characters, and the count of those cut.</summary>
    private sealed class LineBuffer(Action<string, long> forward)
    {
        private readonly StringBuilder _kept = new();
        private long _cut;

        public void Append(ReadOnlySpan<char> text)
        {
            var room = WorkerLogLine.MaxLineChars - _kept.Length;
            _kept.Append(text[..Math.Min(room, text.Length)]);
            _cut += Math.Max(0, text.Length - room);
        }

        public void EmitIfAny()
        {
            if (_kept.Length > 0 || _cut > 0)
            {
                Emit();
            }
        }

        public void Emit()
        {
            var text = _kept.ToString();
            var cut = _cut;
            _kept.Clear();
            _cut = 0;
            try
            {
                forward(text, cut);
            }
#pragma warning disable CA1031 // A logger that throws loses this line; the stream must still be drained.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
