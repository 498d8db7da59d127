using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace SimHost.Host.Persistence;

/// <summary>
/// Reads one checkpoint file front to back, straight into the memory its bytes end in (a world column, an entity
/// array), hashing every byte with XxHash128 as it passes: one read of each byte, no file-sized intermediate array.
/// Bytes that end nowhere (headers, padding, changed bitsets) pass through a small scratch buffer.
/// </summary>
/// <remarks>
/// Reads go in slices of at most the scratch buffer's size and each slice is hashed right after its read, while it
/// is still in the cache.
/// </remarks>
internal sealed class CheckpointFileReader : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly XxHash128 _hash = new();
    private readonly byte[] _scratch;

    public CheckpointFileReader(string path, byte[] scratch)
    {
        _scratch = scratch;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        LengthBytes = RandomAccess.GetLength(_handle);
    }

    /// <summary>The file's length.</summary>
    public long LengthBytes { get; }

    /// <summary>Bytes read so far: the offset of the next read.</summary>
    public long Position { get; private set; }

    /// <summary>Reads the next <paramref name="destination"/>.Length bytes into it.</summary>
    /// <returns>False when the file ends first.</returns>
    public bool TryRead(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var slice = destination[..Math.Min(destination.Length, _scratch.Length)];
            if (!TryFill(slice))
            {
                return false;
            }

            destination = destination[slice.Length..];
        }

        return true;
    }

    /// <summary>Reads the next <paramref name="count"/> bytes into the scratch buffer, hashing them.</summary>
    /// <returns>False when the file ends first.</returns>
    public bool TrySkip(long count)
    {
        while (count > 0)
        {
            var slice = _scratch.AsSpan(0, (int)Math.Min(count, _scratch.Length));
            if (!TryFill(slice))
            {
                return false;
            }

            count -= slice.Length;
        }

        return true;
    }

    /// <summary>Reads the rest of the file and tells whether it had the manifest's length and XxHash128.</summary>
    public bool TryFinish(ManifestFile file) =>
        Position <= LengthBytes && TrySkip(LengthBytes - Position) && LengthBytes == file.LengthBytes && _hash.GetCurrentHashAsUInt128() == file.Hash;

    public void Dispose() => _handle.Dispose();

    private bool TryFill(Span<byte> slice)
    {
        var filled = 0;
        while (filled < slice.Length)
        {
            var read = RandomAccess.Read(_handle, slice[filled..], Position + filled);
            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        _hash.Append(slice);
        Position += slice.Length;
        return true;
    }
}
