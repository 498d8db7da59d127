using System.Text;

namespace SimHost.Host.Running;

/// <summary>
/// The run's console. Writing to a terminal that is gone (closed, an ssh session dropped: the kernel fails every write
/// with EIO, possibly before the SIGHUP that follows reaches the run) drops the write instead of failing the run: the
/// run still finishes its frame, writes its last checkpoint and stops its workers, as after SIGTERM. A redirected
/// stream keeps its errors: a summary that cannot be written to a full disk fails the run in one line.
/// </summary>
/// <param name="inner">The console stream.</param>
/// <param name="isTerminal">Whether <paramref name="inner"/> writes to a terminal (not redirected).</param>
internal sealed class HangUpTolerantWriter(TextWriter inner, bool isTerminal) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Guard(() => inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

    public override void Write(string? value) => Guard(() => inner.Write(value));

    public override void WriteLine() => Guard(inner.WriteLine);

    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));

    public override void Flush() => Guard(inner.Flush);

    public override Task WriteAsync(char value) => GuardAsync(() => inner.WriteAsync(value));

    public override Task WriteAsync(string? value) => GuardAsync(() => inner.WriteAsync(value));

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        GuardAsync(() => inner.WriteAsync(buffer, cancellationToken));

    public override Task WriteLineAsync(string? value) => GuardAsync(() => inner.WriteLineAsync(value));

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        GuardAsync(() => inner.WriteLineAsync(buffer, cancellationToken));

    public override Task FlushAsync() => GuardAsync(inner.FlushAsync);

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (IOException) when (isTerminal)
        {
        }
    }

    private async Task GuardAsync(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (IOException) when (isTerminal)
        {
        }
    }
}
