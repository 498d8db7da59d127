using System.Text;

namespace SimHost.Host.Running;

/// <summary>
/// The run's console once its terminal may be gone: after a SIGHUP (<see cref="HasHungUp"/>), a write that fails
/// (EIO on a hung-up terminal) is dropped, so the run still finishes its frame, writes its last checkpoint and stops
/// its workers as after SIGTERM. Before that, a failed write is an error as ever (a summary redirected to a full
/// disk fails the run in one line).
/// </summary>
internal sealed class HangUpTolerantWriter(TextWriter inner) : TextWriter
{
    private static int s_hasHungUp;

    /// <summary>Set by the signal handler when SIGHUP arrives; never cleared.</summary>
    public static bool HasHungUp
    {
        get => Volatile.Read(ref s_hasHungUp) == 1;
        set => Volatile.Write(ref s_hasHungUp, value ? 1 : 0);
    }

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

    private static void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (IOException) when (HasHungUp)
        {
        }
    }

    private static async Task GuardAsync(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (IOException) when (HasHungUp)
        {
        }
    }
}
