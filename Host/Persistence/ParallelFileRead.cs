using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SimHost.Host.Persistence;

/// <summary>
/// Reads whole files into the memory their bytes end in, on several threads at once, while hashing each file front to
/// back with XXH3-128 (<see cref="EagerXxHash128"/>): the checkpoint load's reads, page faults and hashing shared
/// between the cores.
/// </summary>
/// <remarks>
/// <para>
/// Each file is cut into chunks of at most <c>chunkBytes</c>, every chunk with its own destination, and the chunks of
/// all files are taken in order from one counter by every thread. A hash is sequential, so each file has one cursor:
/// after reading a chunk, a thread hashes its file's chunks from the cursor on for as long as they have been read,
/// unless another thread is doing so already. One thread thus often reads while the other hashes what it has just
/// read (still in the shared cache), and both fault in the new pages their reads land in.
/// </para>
/// <para>
/// Measured on the reference VM (2 vCPU), <c>scripts/bench.sh '*CheckpointLoadBenchmarks*'</c>: a 1M-particle load
/// went from a median of 27 to 25 ns per entity, a 4M one from 16-18 to 12.5 (eight runs). Two threads reading fresh memory at once move it
/// only a little faster than one; the gain is mostly the hashing and the entity records done beside the reads.
/// </para>
/// <para>
/// Destinations are raw addresses into arrays pinned with <see cref="Pin"/> until the read is disposed.
/// </para>
/// </remarks>
internal sealed unsafe class ParallelFileRead : IDisposable
{
    /// <summary>
    /// The most bytes one region only to be hashed may have. A checkpoint's are small (headers, padding, changed
    /// bitsets: 1 bit a row); more means a file this reader leaves to the verifying one.
    /// </summary>
    public const long MaxSkippedBytes = 64 << 20;

    private readonly List<GCHandle> _pins = [];
    private readonly int _chunkBytes;
    private readonly List<FileState> _files = [];
    private readonly List<Chunk> _chunks = [];
    private int[] _isRead = [];
    private int _nextChunk;
    private volatile bool _hasFailed;

    /// <param name="chunkBytes">
    /// The largest chunk: small enough to hash while in the cache, large enough for few system calls. A multiple of 8,
    /// so a converter's chunks hold whole 8-byte handles.
    /// </param>
    public ParallelFileRead(int chunkBytes)
    {
        if (chunkBytes <= 0 || chunkBytes % sizeof(ulong) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes, "A chunk is a positive multiple of 8 bytes.");
        }

        _chunkBytes = chunkBytes;
    }

    /// <summary>
    /// Called, under the file's hashing turn, after each chunk of a region added with a converter has been hashed:
    /// the chunk's address, its length and its offset from the region's start. Chunks come in order. Returns false to
    /// fail the read (the bytes break a rule).
    /// </summary>
    public delegate bool ChunkConverter(byte* chunk, int length, long offsetInRegion);

    /// <summary>Adds a file whose first bytes, <paramref name="prefix"/>, were read already; its other bytes follow with <see cref="AddRegion"/>.</summary>
    /// <returns>The file's number for <see cref="AddRegion"/>.</returns>
    public int AddFile(SafeFileHandle handle, long lengthBytes, UInt128 expectedHash, byte[] prefix)
    {
        var file = new FileState(handle, lengthBytes, expectedHash) { FirstChunk = _chunks.Count, NextOffset = prefix.Length };
        _files.Add(file);

        // The prefix is the file's first chunk, read already.
        _chunks.Add(new Chunk(_files.Count - 1, 0, prefix.Length, prefix.Length == 0 ? null : Pin(prefix), isRead: true, null, 0));
        return _files.Count - 1;
    }

    /// <summary>Pins <paramref name="array"/> until the read is disposed.</summary>
    /// <returns>The address of its first element.</returns>
    public byte* Pin(Array array)
    {
        _pins.Add(GCHandle.Alloc(array, GCHandleType.Pinned));
        return (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
    }

    /// <summary>Unpins every array pinned by <see cref="Pin"/>.</summary>
    public void Dispose()
    {
        foreach (var pin in _pins)
        {
            pin.Free();
        }

        _pins.Clear();
    }

    /// <summary>The files added so far.</summary>
    public int FileCount => _files.Count;

    /// <summary>The offset in file <paramref name="file"/> the next region starts at.</summary>
    public long NextOffset(int file) => _files[file].NextOffset;

    /// <summary>
    /// Adds the next <paramref name="lengthBytes"/> of file <paramref name="file"/>, to be read to <paramref name="destination"/>
    /// (pinned), or, when it is null, into memory of their own that is only hashed (padding, bitsets).
    /// </summary>
    /// <returns>
    /// False, with nothing added, when the region would not lie within the file, or when bytes only to be hashed are
    /// more than <see cref="MaxSkippedBytes"/> (they get memory of their own until hashed).
    /// </returns>
    public bool AddRegion(int file, long lengthBytes, byte* destination, ChunkConverter? converter = null)
    {
        if (_files.Count - 1 != file)
        {
            throw new InvalidOperationException("Regions are added in file order, to the last file added.");
        }

        var state = _files[file];
        if (lengthBytes < 0 || state.NextOffset + lengthBytes > state.LengthBytes || (destination is null && lengthBytes > MaxSkippedBytes))
        {
            return false;
        }

        if (destination is null && lengthBytes > 0)
        {
            destination = Pin(GC.AllocateUninitializedArray<byte>((int)lengthBytes));
        }

        for (long done = 0; done < lengthBytes; done += _chunkBytes)
        {
            var length = (int)Math.Min(_chunkBytes, lengthBytes - done);
            _chunks.Add(new Chunk(file, state.NextOffset + done, length, destination + done, isRead: false, converter, done));
        }

        state.NextOffset += lengthBytes;
        return true;
    }

    /// <summary>Reads every region on up to <paramref name="threads"/> threads, the caller's included.</summary>
    /// <returns>True when every file was read whole, had its expected hash and every converter accepted its bytes.</returns>
    public bool Run(int threads)
    {
        foreach (var file in _files)
        {
            if (file.NextOffset != file.LengthBytes)
            {
                throw new InvalidOperationException("A file's regions must cover it to its end.");
            }

            file.EndChunk = file.FirstChunk;
            file.Cursor = file.FirstChunk;
        }

        _isRead = new int[_chunks.Count];
        for (var i = 0; i < _chunks.Count; i++)
        {
            _files[_chunks[i].File].EndChunk = i + 1;
            _isRead[i] = _chunks[i].IsRead ? 1 : 0;
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
        Parallel.For(0, options.MaxDegreeOfParallelism, options, _ => ReadAndHash());

        // Every thread has stopped: whatever a last race left unhashed is hashed here, by the caller alone.
        for (var f = 0; f < _files.Count && !_hasFailed; f++)
        {
            AdvanceHash(f);
        }

        return !_hasFailed && _files.TrueForAll(static f => f.Cursor == f.EndChunk && f.Hash.GetCurrentHashAsUInt128() == f.ExpectedHash);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadAndHash()
    {
        try
        {
            int next;
            while (!_hasFailed && (next = Interlocked.Increment(ref _nextChunk) - 1) < _chunks.Count)
            {
                var chunk = _chunks[next];
                if (!chunk.IsRead && !TryReadAt(_files[chunk.File].Handle, new Span<byte>(chunk.Destination, chunk.Length), chunk.Offset))
                {
                    _hasFailed = true;
                    return;
                }

                Volatile.Write(ref _isRead[next], 1);
                AdvanceHash(chunk.File);
            }

            for (var f = 0; f < _files.Count && !_hasFailed; f++)
            {
                AdvanceHash(f);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _hasFailed = true;
        }
    }

    /// <summary>Reads <paramref name="destination"/>.Length bytes of the file at <paramref name="offset"/>.</summary>
    /// <returns>False when the file ends first.</returns>
    public static bool TryReadAt(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            var read = RandomAccess.Read(handle, destination[filled..], offset + filled);
            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return true;
    }

    /// <summary>Hashes file <paramref name="f"/>'s chunks from its cursor on while they have been read, unless another thread has the turn.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AdvanceHash(int f)
    {
        var file = _files[f];
        while (!_hasFailed)
        {
            if (Interlocked.CompareExchange(ref file.IsHashing, 1, 0) != 0)
            {
                return;
            }

            while (file.Cursor < file.EndChunk && Volatile.Read(ref _isRead[file.Cursor]) == 1)
            {
                var chunk = _chunks[file.Cursor];
                var bytes = new ReadOnlySpan<byte>(chunk.Destination, chunk.Length);
                file.Hash.Append(bytes);
                file.Cursor++;
                if (chunk.Converter is { } convert && !convert(chunk.Destination, chunk.Length, chunk.OffsetInRegion))
                {
                    _hasFailed = true;
                    break;
                }
            }

            // A full fence (not a plain release): a thread that marked the next chunk read just after this one looked
            // found the turn taken, so this one must see its mark once it gives the turn back, or no one hashes it.
            Interlocked.Exchange(ref file.IsHashing, 0);

            // Read once: without the turn, another thread may move the cursor, even to the end, between two reads.
            var cursor = file.Cursor;
            if (cursor >= file.EndChunk || Volatile.Read(ref _isRead[cursor]) == 0)
            {
                return;
            }
        }
    }

    private readonly struct Chunk(int file, long offset, int length, byte* destination, bool isRead, ChunkConverter? converter, long offsetInRegion)
    {
        public int File { get; } = file;

        public long Offset { get; } = offset;

        public int Length { get; } = length;

        public byte* Destination { get; } = destination;

        /// <summary>Whether the bytes are there from the start (the prefix read with the header).</summary>
        public bool IsRead { get; } = isRead;

        public ChunkConverter? Converter { get; } = converter;

        public long OffsetInRegion { get; } = offsetInRegion;
    }

    private sealed class FileState(SafeFileHandle handle, long lengthBytes, UInt128 expectedHash)
    {
        public SafeFileHandle Handle { get; } = handle;

        public long LengthBytes { get; } = lengthBytes;

        public UInt128 ExpectedHash { get; } = expectedHash;

        /// <summary>
        /// The file's XXH3-128 so far, from code optimized on its first call: a resume loads once, before the JIT has
        /// optimized System.IO.Hashing (<see cref="EagerXxHash128"/>).
        /// </summary>
        public EagerXxHash128 Hash { get; } = new();

        public long NextOffset { get; set; }

        public int FirstChunk { get; init; }

        public int EndChunk { get; set; }

        /// <summary>The next chunk to hash; moved only by the thread with the hashing turn.</summary>
        public int Cursor { get; set; }

        /// <summary>1 while a thread has the file's hashing turn.</summary>
        public int IsHashing;
    }
}
