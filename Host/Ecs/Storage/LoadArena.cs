using System.Runtime.InteropServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// One block of native memory a checkpoint load reads a whole world into: every column's values and change ticks,
/// every archetype's entity handles and the entity records, placed one after the other (64-byte aligned) in one fresh
/// anonymous mapping that starts on a 2 MiB boundary and asks for transparent huge pages. Each of those arrays stays
/// there until it grows or moves to shared memory (<see cref="RowBuffer{T}"/>, <see cref="Column{T}"/>), when its
/// pages go back to the system.
/// </summary>
/// <remarks>
/// <para>
/// Why not the GC's arrays, as before: on the reference VM new memory fills fastest in one fresh, aligned mapping. A
/// load made of several new arrays paid for each array's last 2 MiB block (past the GC's committed memory, so on
/// 4 KiB pages, about 7-11 µs a page on this VM), and for address ranges an earlier load had used on 4 KiB pages (their
/// page tables outlive the pages, and such a block faults 4 KiB at a time however it is advised). In a harness reading
/// 52 MB (a 1M-particle world's six arrays) on this VM: 10.4 ms median into six new GC arrays given the same advice,
/// 5.2 ms into a fresh mapping (docs/benchmarks/README.md, eighteenth pass).
/// </para>
/// <para>
/// The mapping is never unmapped, only emptied: its pages are given back (<c>MADV_DONTNEED</c>) as each array leaves,
/// all at once when the last one has, and by the finalizer otherwise. A span taken from a column before it grew is not
/// tracked by the GC, and a stale span must never reach unmapped memory: an emptied page reads as zeros instead. What
/// stays behind is address space, which a 64-bit process has plenty of (and adjacent mappings merge into one).
/// </para>
/// <para>
/// Linux only (<see cref="TryCreate"/> returns null elsewhere, and the load falls back to managed arrays). The huge
/// pages follow <see cref="BulkArray"/>'s switch and the system's setting, and a world smaller than one huge page gets
/// none; the mapping is used either way, so every load on Linux takes the same path whatever its size.
/// </para>
/// </remarks>
internal sealed unsafe partial class LoadArena
{
    /// <summary>Every array starts on this boundary: a cache line, so no two arrays share one.</summary>
    public const int AlignmentBytes = 64;

    private const nuint HugePageBytes = 2 << 20;
    private const nuint PageBytes = 4 << 10;
    private const int ReadWrite = 0x1 | 0x2;
    private const int PrivateAnonymous = 0x02 | 0x20;
    private const int AdviseHugePage = 14;
    private const int DontNeed = 4;

    private readonly Lock _gate = new();
    private readonly byte* _start;
    private readonly long _capacityBytes;
    private long _placedBytes;
    private int _occupants;
    private bool _isEmptied;

    private LoadArena(byte* start, long capacityBytes)
    {
        _start = start;
        _capacityBytes = capacityBytes;
        GC.AddMemoryPressure(capacityBytes);
    }

    /// <summary>Empties the mapping if an array still lived in it when the last of its owners was collected.</summary>
    ~LoadArena() => Empty();

    /// <summary>The bytes an array of <paramref name="length"/> <typeparamref name="T"/> takes in an arena, alignment included.</summary>
    public static long SizeOf<T>(long length)
        where T : unmanaged => ((length * sizeof(T)) + AlignmentBytes - 1) & ~(long)(AlignmentBytes - 1);

    /// <summary>A new arena of <paramref name="capacityBytes"/>, or null where there is none to be had (not Linux, no memory, an empty world).</summary>
    public static LoadArena? TryCreate(long capacityBytes)
    {
        if (!OperatingSystem.IsLinux() || capacityBytes <= 0 || capacityBytes > long.MaxValue / 2)
        {
            return null;
        }

        // Mapped 2 MiB larger, then trimmed to a 2 MiB boundary at both ends, so every whole 2 MiB block can be a huge page.
        var length = ((nuint)capacityBytes + HugePageBytes - 1) & ~(HugePageBytes - 1);
        var mapping = Mmap(0, length + HugePageBytes, ReadWrite, PrivateAnonymous, -1, 0);
        if (mapping == -1)
        {
            return null;
        }

        var start = ((nuint)mapping + HugePageBytes - 1) & ~(HugePageBytes - 1);
        var head = start - (nuint)mapping;
        if (head > 0)
        {
            _ = Munmap(mapping, head);
        }

        _ = Munmap((nint)(start + length), HugePageBytes - head);
        // A world smaller than a huge page is not worth one: its first touch would zero 2 MiB for a few rows.
        if (BulkArray.IsAdviceEnabled && capacityBytes >= BulkArray.MinimumBytes)
        {
            _ = Madvise((nint)start, length, AdviseHugePage);
        }

        return new LoadArena((byte*)start, capacityBytes);
    }

    /// <summary>
    /// Places an array of <paramref name="length"/> <typeparamref name="T"/> after the last one; its contents are
    /// whatever was there (zeros, for a new mapping): the load fills it. Its owner calls <see cref="Leave"/> when it moves out.
    /// </summary>
    /// <exception cref="InvalidOperationException">The arena has no room left (its size was computed wrongly).</exception>
    public T* Place<T>(int length)
        where T : unmanaged
    {
        lock (_gate)
        {
            var bytes = SizeOf<T>(length);
            if (_isEmptied || _placedBytes + bytes > _capacityBytes)
            {
                throw new InvalidOperationException($"A load's arena of {_capacityBytes} bytes has no room for {bytes} more after {_placedBytes}.");
            }

            var at = _start + _placedBytes;
            _placedBytes += bytes;
            _occupants++;
            return (T*)at;
        }
    }

    /// <summary>
    /// Gives back the pages only the array at <paramref name="at"/> of <paramref name="lengthBytes"/> used (its
    /// owner has copied it elsewhere), and every page once no array is left.
    /// </summary>
    public void Leave(void* at, long lengthBytes)
    {
        lock (_gate)
        {
            if (_isEmptied)
            {
                return;
            }

            if (--_occupants == 0)
            {
                Empty();
                return;
            }

            // Only whole pages inside the array: the pages at its ends may hold a neighbour's first or last bytes.
            var first = ((nuint)at + PageBytes - 1) & ~(PageBytes - 1);
            var end = ((nuint)at + (nuint)lengthBytes) & ~(PageBytes - 1);
            if (end > first)
            {
                _ = Madvise((nint)first, end - first, DontNeed);
            }
        }
    }

    private void Empty()
    {
        lock (_gate)
        {
            if (_isEmptied)
            {
                return;
            }

            _isEmptied = true;
            _ = Madvise((nint)_start, ((nuint)_capacityBytes + HugePageBytes - 1) & ~(HugePageBytes - 1), DontNeed);
            GC.RemoveMemoryPressure(_capacityBytes);
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int descriptor, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
