using System.IO.MemoryMappedFiles;

namespace SimHost.Layout.Segments;

/// <summary>
/// The one unsafe type of the segment code: owns a read-write mapping of a whole file and its acquired pointer,
/// and hands out spans only after checking them against the mapped length.
/// </summary>
internal sealed unsafe class MappedRegion : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _pointer;

    private MappedRegion(MemoryMappedFile file, MemoryMappedViewAccessor view, byte* pointer, long lengthBytes)
    {
        _file = file;
        _view = view;
        _pointer = pointer;
        LengthBytes = lengthBytes;
    }

    /// <summary>The mapped length in bytes.</summary>
    public long LengthBytes { get; }

    /// <summary>
    /// Maps the first <paramref name="lengthBytes"/> of <paramref name="stream"/> read-write and shared, taking
    /// ownership of the stream. Both processes map the file itself: Linux has no named maps.
    /// </summary>
    public static MappedRegion Map(FileStream stream, long lengthBytes)
    {
        MemoryMappedFile? file = null;
        MemoryMappedViewAccessor? view = null;
        try
        {
            file = MemoryMappedFile.CreateFromFile(
                stream, mapName: null, lengthBytes, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            view = file.CreateViewAccessor(0, lengthBytes, MemoryMappedFileAccess.ReadWrite);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            // The view starts on a page boundary at or before offset 0; PointerOffset is where our byte 0 lies.
            return new MappedRegion(file, view, pointer + view.PointerOffset, lengthBytes);
        }
        catch
        {
            view?.Dispose();
            if (file is not null)
            {
                file.Dispose();
            }
            else
            {
                stream.Dispose();
            }

            throw;
        }
    }

    /// <summary>The bytes [<paramref name="offsetBytes"/>, +<paramref name="lengthBytes"/>) of the mapping.</summary>
    public Span<byte> Bytes(long offsetBytes, int lengthBytes) => Elements<byte>(offsetBytes, lengthBytes);

    /// <summary>
    /// <paramref name="count"/> elements of <typeparamref name="T"/> starting at <paramref name="offsetBytes"/>;
    /// the start must be aligned to the element size's natural alignment (segment regions are 64-byte aligned).
    /// </summary>
    public Span<T> Elements<T>(long offsetBytes, int count)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_pointer is null, this);
        long lengthBytes = (long)count * sizeof(T);
        if (offsetBytes < 0 || count < 0 || offsetBytes > LengthBytes || lengthBytes > LengthBytes - offsetBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(offsetBytes), offsetBytes, $"[{offsetBytes}, +{lengthBytes}) is outside the {LengthBytes}-byte mapping.");
        }

        return new Span<T>(_pointer + offsetBytes, count);
    }

    /// <summary>Releases the pointer and unmaps; spans handed out before must no longer be used.</summary>
    public void Dispose()
    {
        if (_pointer is null)
        {
            return;
        }

        _pointer = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
