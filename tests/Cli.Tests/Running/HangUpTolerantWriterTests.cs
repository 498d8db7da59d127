using SimHost.Host.Running;
using SimHost.Tests.Host.Cli;

namespace SimHost.Tests.Host.Running;

/// <summary>
/// A terminal that is gone fails every write (EIO), possibly before the SIGHUP that follows reaches the run: the run's
/// console drops those writes so a hang-up never fails the run, while a redirected stream keeps its errors.
/// </summary>
public sealed class HangUpTolerantWriterTests
{
    [Test]
    public async Task WritesToATerminalThatIsGone_AreDropped()
    {
        using var gone = new UnwritableOutput();
        using var console = new HangUpTolerantWriter(gone, isTerminal: true);

        Assert.DoesNotThrow(() => console.WriteLine("progress"));
        Assert.DoesNotThrow(() => console.Write('x'));
        Assert.DoesNotThrowAsync(() => console.WriteLineAsync("summary"));
        Assert.DoesNotThrowAsync(() => console.WriteAsync("summary".AsMemory()));
        await console.FlushAsync();
    }

    [Test]
    public void WritesToARedirectedStreamThatFails_StillFail()
    {
        using var full = new UnwritableOutput();
        using var console = new HangUpTolerantWriter(full, isTerminal: false);

        Assert.Throws<IOException>(() => console.WriteLine("summary"));
        Assert.ThrowsAsync<IOException>(() => console.WriteLineAsync("summary"));
    }

    [Test]
    public void WritesThatSucceed_ReachTheStream()
    {
        using var inner = new StringWriter();
        using var console = new HangUpTolerantWriter(inner, isTerminal: true);

        console.Write("frames: ");
        console.WriteLine(600);

        Assert.That(inner.ToString().ReplaceLineEndings("\n"), Is.EqualTo("frames: 600\n"));
    }
}
