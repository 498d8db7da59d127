using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SimHost.Host.Persistence;

/// <summary>
/// A file written front to back with direct I/O (<c>O_DIRECT</c>, Linux), new or written over: the bytes go from an
/// aligned buffer of this process to the device, not through the page cache. A checkpoint is written once and read
/// back only at a resume, so caching it buys nothing, and writing it through the cache costs the frames: the kernel
/// copies every byte into cached pages and later writes them back from its own threads, on the cores the frame and
/// the workers run on.
/// </summary>
/// <remarks>
/// <para>
/// The file is created as <see cref="FileStream"/> creates it (<see cref="File.OpenHandle"/>: the same mode, locking
/// and errors); direct I/O is then switched on for its descriptor (<c>fcntl</c>). A file system that refuses it, there
/// or at a write, gets the same bytes through the cache (<see cref="IsDirect"/> says which). Elsewhere than Linux the
/// stream writes through the cache from the start.
/// </para>
/// <para>
/// Writes go in whole blocks from a 4 KiB-aligned buffer; the file's last partial block is written padded with zeros
/// and the file then cut back to its length (as is a file written over that was longer). <see cref="Flush(bool)"/>
/// with true is the fsync that makes the file durable, as <see cref="FileStream.Flush(bool)"/> is: the device may hold
/// direct writes in its own cache until then.
/// </para>
/// </remarks>
internal sealed unsafe partial class DirectWriteStream : Stream
{
    private const int BlockBytes = 4096;
    private const int BufferBytes = 1 << 20;
    private const int GetStatusFlags = 3;
    private const int SetStatusFlags = 4;
    private const int InvalidArgument = 22;

    private readonly SafeFileHandle _handle;
    private byte* _buffer;
    private int _buffered;
    private long _onDisk;
    private bool _hasFailed;

    // The file may be longer than the bytes written: padding of a last partial block, or an overwritten file's old end.
    private bool _mustCut;
    private bool _isDisposed;

    private DirectWriteStream(SafeFileHandle handle, byte* buffer)
    {
        _handle = handle;
        _buffer = buffer;
        IsDirect = SetDirect(handle, on: true);
    }

    /// <summary>Whether the writes go around the page cache (false where direct I/O is not available, or once refused).</summary>
    internal bool IsDirect { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_isDisposed;

    public override long Length => _onDisk + _buffered;

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    /// <summary>The platform's <c>O_DIRECT</c>, or 0 where direct I/O is not used (not Linux, an unknown architecture).</summary>
    private static int DirectFlag => !OperatingSystem.IsLinux() ? 0 : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 0x4000,
        Architecture.Arm64 => 0x10000,
        _ => 0,
    };

    /// <summary>Creates <paramref name="path"/>, which must not exist, for writing with direct I/O where it can.</summary>
    /// <exception cref="IOException">The file exists or cannot be created (as <see cref="FileMode.CreateNew"/> reports it).</exception>
    public static DirectWriteStream Create(string path) => Open(path, FileMode.CreateNew);

    /// <summary>
    /// Opens <paramref name="path"/> to be written over from its start (created if missing), keeping the blocks it has:
    /// writing into blocks a file already has spares the file system allocating new ones, and the old file deleting
    /// (see <see cref="CheckpointStore"/>). <see cref="Flush(bool)"/> cuts the file to the bytes written.
    /// </summary>
    /// <remarks>
    /// A file that anyone else may still see is replaced by a new one instead, as a deletion leaves it to them: one
    /// with another name (a hard-linked backup), or one a reader holds open (its shared lock refuses this stream's
    /// exclusive one, as <see cref="FileShare.None"/> takes on Linux; <c>simhost inspect</c> keeps a checkpoint's files
    /// open while it hashes them).
    /// </remarks>
    /// <exception cref="IOException">The file cannot be opened or created.</exception>
    public static DirectWriteStream Overwrite(string path)
    {
        if (FileLinks.Count(path) is not 1)
        {
            File.Delete(path);
            return Create(path);
        }

        DirectWriteStream stream;
        try
        {
            stream = Open(path, FileMode.Open);
        }
        catch (IOException)
        {
            File.Delete(path);
            return Create(path);
        }

        stream._mustCut = true;
        return stream;
    }

    private static DirectWriteStream Open(string path, FileMode mode)
    {
        // Allocated first: a failed allocation leaves no file behind.
        var buffer = (byte*)NativeMemory.AlignedAlloc(BufferBytes, BlockBytes);
        try
        {
            var handle = File.OpenHandle(path, mode, FileAccess.Write, FileShare.None);
            try
            {
                return new DirectWriteStream(handle, buffer);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
        catch
        {
            NativeMemory.AlignedFree(buffer);
            throw;
        }
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
            _mustCut = true;
        }

        if (_mustCut)
        {
            Guard(() => RandomAccess.SetLength(_handle, _onDisk));
            _mustCut = false;
        }

        if (flushToDisk)
        {
            Guard(() => RandomAccess.FlushToDisk(_handle));
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
            _handle.Dispose();
            NativeMemory.AlignedFree(_buffer);
            _buffer = null;
            base.Dispose(disposing);
        }
    }

    // Switches O_DIRECT on or off for the file's descriptor; false where that is not possible.
    private static bool SetDirect(SafeFileHandle handle, bool on)
    {
        if (DirectFlag == 0)
        {
            return false;
        }

        var descriptor = (int)handle.DangerousGetHandle();
        var flags = Fcntl(descriptor, GetStatusFlags, 0);
        return flags >= 0 && Fcntl(descriptor, SetStatusFlags, on ? flags | DirectFlag : flags & ~DirectFlag) == 0;
    }

    private void WriteBuffer(int count)
    {
        try
        {
            RandomAccess.Write(_handle, new ReadOnlySpan<byte>(_buffer, count), _onDisk);
        }
        catch (IOException exception) when (IsDirect && exception.HResult == InvalidArgument)
        {
            // A file system that took direct I/O for the file but refuses this write: written on, through the cache.
            IsDirect = false;
            if (!SetDirect(_handle, on: false))
            {
                _hasFailed = true;
                throw;
            }

            Guard(() => RandomAccess.Write(_handle, new ReadOnlySpan<byte>(_buffer, count), _onDisk));
        }
        catch
        {
            // Any failure (a full disk, a file too large: .NET reports EFBIG as ArgumentOutOfRangeException) ends the
            // writing: disposal must not write the rest after it.
            _hasFailed = true;
            throw;
        }
    }

    private void Guard(Action call)
    {
        try
        {
            call();
        }
        catch
        {
            _hasFailed = true;
            throw;
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int descriptor, int command, int argument);
}
