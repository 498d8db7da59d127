using System.Text;

namespace SimHost.Tests.Host.Cli;

/// <summary>Standard output redirected to a full disk (/dev/full): every write fails with ENOSPC.</summary>
internal sealed class UnwritableOutput : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => throw new IOException("No space left on device");

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        throw new IOException("No space left on device");

    public override Task WriteLineAsync(string? value) => throw new IOException("No space left on device");
}
