using System.Runtime.InteropServices;

namespace SimHost.Host.Persistence;

/// <summary>
/// A new file written front to back with direct I/O (<c>O_DIRECT</c>, Linux): the bytes go from an aligned buffer of
/// this process to the disk, not through the page cache. A checkpoint is written once and read back only at a resume,
/// so caching it buys nothing, and writing it through the cache costs the frames: the kernel copies every byte into
/// cached pages and later writes them back from its own threads, on the cores the frame and the workers run on.
/// </summary>
/// <remarks>
/// <para>
/// The file's last partial block is written padded with zeros and the file then cut to its length. A file system that
/// refuses direct I/O at open (<see cref="TryCreate"/> returns null: use a buffered stream) or at a write (the stream
/// turns it off and writes on, buffered) costs nothing but the attempt. <see cref="Flush(bool)"/> with true is the
/// fsync that makes the file durable, as <see cref="FileStream.Flush(bool)"/> is.
/// </para>
/// </remarks>
internal sealed unsafe partial class DirectWriteStream : Stream
{
    private const int BlockBytes = 4096;
    private const int BufferBytes = 1 << 20;
    private const int WriteOnly = 0x1;
    private const int Create = 0x40;
    private const int Exclusive = 0x80;
    private const int CloseOnExec = 0x80000;
    private const int SetStatusFlags = 4;
    private const int GetStatusFlags = 3;
    private const int Interrupted = 4;
    private const int InvalidArgument = 22;
    private const int ReadWriteForAll = 0x1B6; // 0666, as FileStream creates files: the umask decides

    private readonly int _descriptor;
    private readonly string _path;
    private byte* _buffer;
    private int _buffered;
    private long _onDisk;
    private bool _isDirect = true;
    private bool _isDisposed;
    private bool _hasFailed;

    private DirectWriteStream(int descriptor, string path, byte* buffer)
    {
        _descriptor = descriptor;
        _path = path;
        _buffer = buffer;
    }

    /// <summary>Whether the writes still go around the page cache (false once the file system refused one).</summary>
    internal bool IsDirect => _isDirect;

    /// <summary>The platform's <c>O_DIRECT</c>, or 0 where direct I/O is not used (not Linux, an unknown architecture).</summary>
    private static int DirectFlag => !OperatingSystem.IsLinux() ? 0 : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 0x4000,
        Architecture.Arm64 => 0x10000,
        _ => 0,
    };

    /// <summary>Creates <paramref name="path"/>, which must not exist, for direct writing.</summary>
    /// <returns>The stream, or null when direct I/O is not available here (the file is then not left behind).</returns>
    public static DirectWriteStream? TryCreate(string path)
    {
        if (DirectFlag == 0)
        {
            return null;
        }

        // Allocated first: a failed allocation then leaves no descriptor open and no file behind.
        var buffer = (byte*)NativeMemory.AlignedAlloc(BufferBytes, BlockBytes);
        var descriptor = Open(path, WriteOnly | Create | Exclusive | CloseOnExec | DirectFlag, ReadWriteForAll);
        if (descriptor >= 0)
        {
            return new DirectWriteStream(descriptor, path, buffer);
        }

        NativeMemory.AlignedFree(buffer);

        // Linux checks O_DIRECT after creating the file: a refusal can leave it behind, empty.
        if (Marshal.GetLastPInvokeError() == InvalidArgument)
        {
            _ = Unlink(path);
        }

        return null;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_isDisposed;

    public override long Length => _onDisk + _buffered;

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        while (!buffer.IsEmpty)
        {
            var part = Math.Min(buffer.Length, BufferBytes - _buffered);
            buffer[..part].CopyTo(new Span<byte>(_buffer + _buffered, part));
            _buffered += part;
            buffer = buffer[part..];
            if (_buffered == BufferBytes)
            {
                WriteBuffer(BufferBytes);
                _onDisk += BufferBytes;
                _buffered = 0;
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Writes everything buffered, the file's end included; with <paramref name="flushToDisk"/>, also makes the file durable (fsync).</summary>
    /// <remarks>
    /// Meant as the last call before disposal: the last partial block is written padded and the file cut back to its
    /// length, so a write after it starts off a block boundary, which direct I/O refuses (the file is then written on
    /// through the cache, correctly but without direct I/O).
    /// </remarks>
    public void Flush(bool flushToDisk)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        if (_buffered > 0)
        {
            // Padded to a whole block for direct I/O, then cut back to the file's true length.
            var padded = (_buffered + BlockBytes - 1) / BlockBytes * BlockBytes;
            new Span<byte>(_buffer + _buffered, padded - _buffered).Clear();
            WriteBuffer(padded);
            _onDisk += _buffered;
            _buffered = 0;
            Check(RetryInterrupted(() => Truncate(_descriptor, _onDisk)));
        }

        if (flushToDisk)
        {
            Check(RetryInterrupted(() => Fsync(_descriptor)));
        }
    }

    /// <summary>Writes the whole blocks buffered and keeps a partial last block buffered, so that every write stays aligned.</summary>
    public override void Flush()
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        var whole = _buffered & ~(BlockBytes - 1);
        if (whole > 0)
        {
            WriteBuffer(whole);
            _onDisk += whole;
            _buffered -= whole;
            Buffer.MemoryCopy(_buffer + whole, _buffer, BufferBytes, _buffered);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_isDisposed)
        {
            base.Dispose(disposing);
            return;
        }

        try
        {
            // As FileStream does: what is still buffered is written, not dropped (unless a write already failed).
            if (disposing && _buffered > 0 && !_hasFailed)
            {
                Flush(flushToDisk: false);
            }
        }
        finally
        {
            _isDisposed = true;
            _ = Close(_descriptor);
            NativeMemory.AlignedFree(_buffer);
            _buffer = null;
            base.Dispose(disposing);
        }
    }

    private static int RetryInterrupted(Func<int> call)
    {
        int result;
        while ((result = call()) < 0 && Marshal.GetLastPInvokeError() == Interrupted)
        {
        }

        return result;
    }

    private void WriteBuffer(int count)
    {
        var done = 0;
        while (done < count)
        {
            var written = Pwrite(_descriptor, _buffer + done, (nuint)(count - done), _onDisk + done);
            if (written > 0)
            {
                done += (int)written;
                continue;
            }

            var error = written == 0 ? 0 : Marshal.GetLastPInvokeError();
            if (error == Interrupted)
            {
                continue;
            }

            // A file system that opened the file for direct I/O but refuses a write: written on, through the cache.
            if (error == InvalidArgument && _isDirect)
            {
                _isDirect = false;
                var flags = Fcntl(_descriptor, GetStatusFlags, 0);
                Check(flags < 0 ? -1 : Fcntl(_descriptor, SetStatusFlags, flags & ~DirectFlag));
                continue;
            }

            _hasFailed = true;
            throw new IOException($"cannot write '{_path}': {(written == 0 ? "no bytes written" : Marshal.GetPInvokeErrorMessage(error))}");
        }
    }

    private void Check(int result)
    {
        if (result < 0)
        {
            _hasFailed = true;
            throw new IOException($"cannot write '{_path}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "unlink", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Unlink(string path);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static partial nint Pwrite(int descriptor, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    private static partial int Truncate(int descriptor, long length);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int descriptor, int command, int argument);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
