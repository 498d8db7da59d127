using Microsoft.Extensions.Logging;
using SimHost.Host.Workers;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.Host.Workers;

/// <summary>
/// A worker's output is read in lines of at most <see cref="WorkerLogLine.MaxLineChars"/> characters, whatever the
/// worker writes: every line arrives, in order, without its line end, and a longer one arrives shortened with the
/// exact count of characters cut, however the stream splits it, even with no newline at all.
/// </summary>
public sealed class WorkerOutputPumpTests
{
    private const int Max = WorkerLogLine.MaxLineChars;

    [Test]
    public async Task Lines_ArriveInOrder_WithoutTheirLineEnds()
    {
        var lines = await PumpAsync("first\nsecond\r\n\nthird without a newline");

        Assert.That(lines, Is.EqualTo(new[] { ("first", 0L), ("second", 0L), (string.Empty, 0L), ("third without a newline", 0L) }));
    }

    [Test]
    public async Task ALoneCarriageReturn_EndsALine_AndACrLfSplitAcrossReads_EndsOne()
    {
        const string Text = "progress 1\rprogress 2\r\nnext\n\rlast";
        string[] expected = ["progress 1", "progress 2", "next", string.Empty, "last"];

        for (var chunk = 1; chunk <= Text.Length; chunk++)
        {
            var lines = new List<string>();
            await WorkerOutputPump.PumpAsync(new ChunkedReader(Text, chunk), (line, _) => lines.Add(line));
            Assert.That(lines, Is.EqualTo(expected), $"read {chunk} characters at a time");
        }
    }

    [Test]
    public async Task AForwarderThatThrows_LosesThatLineOnly_AndTheStreamIsStillDrained()
    {
        var lines = new List<string>();
        var reader = new ChunkedReader("first\nsecond\nthird\n", 4);

        await WorkerOutputPump.PumpAsync(reader, (line, _) =>
        {
            if (line == "first")
            {
                throw new InvalidOperationException("a sink failed");
            }

            lines.Add(line);
        });

        Assert.That(lines, Is.EqualTo((string[])["second", "third"]));
        Assert.That(reader.Disposed, Is.True, "the pump disposes its reader at the end of the stream");
    }

    [TestCase(Max, 0)]
    [TestCase(Max + 1, 1)]
    [TestCase(Max + 4096, 4096)]
    [TestCase((3 * Max) + 17, (2 * Max) + 17)]
    public async Task LongLine_IsShortened_ToTheCap_CountingWhatWasCut(int length, long cut)
    {
        var text = Pattern(length);

        var lines = await PumpAsync(text + "\r\nnext\n");

        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0].Text, Is.EqualTo(text[..Math.Min(length, Max)]));
        Assert.That(lines[0].Cut, Is.EqualTo(cut), "a \\r\\n ending is not counted as cut text");
        Assert.That(lines[1], Is.EqualTo(("next", 0L)));
    }

    [Test]
    public async Task ManyMegabytesWithoutANewline_AreOneShortenedLine()
    {
        // 8 MB of output and no newline: the host keeps the cap, not the line.
        var reader = new EndlessReader(8 << 20);

        var lines = new List<(string Text, long Cut)>();
        await WorkerOutputPump.PumpAsync(reader, (text, cut) => lines.Add((text, cut)));

        Assert.That(lines, Has.Count.EqualTo(1));
        Assert.That(lines[0].Text, Has.Length.EqualTo(Max));
        Assert.That(lines[0].Cut, Is.EqualTo((8 << 20) - Max));
    }

    [Test]
    public async Task ShortenedLine_IsLoggedVerbatim_SayingHowMuchWasCut_EvenIfItStartsLikeAnEvent()
    {
        var logger = new CollectingLogger(LogLevel.Trace);
        var forwarder = new WorkerOutputForwarder(logger, 4);
        var text = "{\"t\":" + Pattern(Max + 10);

        await WorkerOutputPump.PumpAsync(new StringReader(text), forwarder.ForwardOutput);

        var (level, properties) = logger.Events.Single();
        Assert.That(level, Is.EqualTo(WorkerOutputForwarder.OutputLevel));
        Assert.That((string)properties["WorkerLine"]!, Does.StartWith(text[..Max]).And.EndWith("(15 more characters not logged)"));
    }

    private static async Task<List<(string Text, long Cut)>> PumpAsync(string text)
    {
        var lines = new List<(string Text, long Cut)>();
        await WorkerOutputPump.PumpAsync(new StringReader(text), (line, cut) => lines.Add((line, cut)));
        return lines;
    }

    private static string Pattern(int length) => string.Create(length, 0, static (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (char)('a' + (i % 26));
        }
    });

    /// <summary>A reader that yields <paramref name="text"/> <paramref name="chunk"/> characters at a time.</summary>
    private sealed class ChunkedReader(string text, int chunk) : TextReader
    {
        private int _next;

        public bool Disposed { get; private set; }

        public override int Read(Span<char> buffer)
        {
            var count = Math.Min(Math.Min(buffer.Length, chunk), text.Length - _next);
            text.AsSpan(_next, count).CopyTo(buffer);
            _next += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    /// <summary>A reader that yields <c>x</c> characters, a few thousand at a time, until its total.</summary>
    private sealed class EndlessReader(int total) : TextReader
    {
        private int _left = total;

        public override int Read(Span<char> buffer)
        {
            var count = Math.Min(Math.Min(buffer.Length, 3001), _left);
            buffer[..count].Fill('x');
            _left -= count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }
}
