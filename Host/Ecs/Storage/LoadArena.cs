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
/// 52 MB (a 1M-particle world's six arrays) on two threads on this VM: 10.4 ms median into six new GC arrays given the
/// same advice, 7.3 ms into a fresh mapping (docs/benchmarks/README.md, eighteenth pass).
/// </para>
/// <para>
/// The mapping is never unmapped, only emptied: each array's own pages are given back (<c>MADV_DONTNEED</c>) as it
/// leaves, and once the last one has (or the finalizer runs first) the whole range is mapped afresh without a commit
/// charge (<c>MAP_NORESERVE</c>), which frees every page. A span taken from a column before it grew is not tracked by
/// the GC, and a stale span must never reach unmapped memory: an emptied page reads as zeros, and a write to it lands
/// in a new page that is dropped with the range, instead of a fault. What stays behind is address space (which a 64-bit
/// process has plenty of) and, under strict overcommit (<c>vm.overcommit_memory=2</c>, which ignores
/// <c>MAP_NORESERVE</c>), the range's commit charge.
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
    private static readonly nuint s_pageBytes = (nuint)Environment.SystemPageSize;
    private const int ReadWrite = 0x1 | 0x2;
    private const int PrivateAnonymous = 0x02 | 0x20;
    private const int NoReserve = 0x4000;
    private const int Fixed = 0x10;
    private const int AdviseHugePage = 14;
    private const int DontNeed = 4;

    private readonly Lock _gate = new();
    private readonly byte* _start;
    private readonly long _capacityBytes;
    private long _placedBytes;
    private long _pressureBytes;
    private int _occupants;
    private bool _isEmptied;

    private LoadArena(byte* start, long capacityBytes)
    {
        _start = start;
        _capacityBytes = capacityBytes;
        _pressureBytes = capacityBytes;
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

            // Only whole pages inside the array (in the system's page size: 64 KiB on some arm64 kernels): the pages at
            // its ends may hold a neighbour's first or last bytes.
            var first = ((nuint)at + s_pageBytes - 1) & ~(s_pageBytes - 1);
            var end = ((nuint)at + (nuint)lengthBytes) & ~(s_pageBytes - 1);
            if (end > first)
            {
                _ = Madvise((nint)first, end - first, DontNeed);
            }

            // The GC is told of what is left, so a world whose arrays moved out does not make it collect for memory gone.
            var released = Math.Min(_pressureBytes, lengthBytes);
            if (released > 0)
            {
                _pressureBytes -= released;
                GC.RemoveMemoryPressure(released);
            }
        }
    }

    /// <summary>Gives every page back at once (a load that failed after placing its arrays); nothing may be placed after.</summary>
    public void Empty()
    {
        lock (_gate)
        {
            if (_isEmptied)
            {
                return;
            }

            _isEmptied = true;
            var length = ((nuint)_capacityBytes + HugePageBytes - 1) & ~(HugePageBytes - 1);
            if (Mmap((nint)_start, length, ReadWrite, PrivateAnonymous | Fixed | NoReserve, -1, 0) != (nint)_start)
            {
                // Mapping afresh failed (no memory for the new mapping's bookkeeping): the pages still go back.
                _ = Madvise((nint)_start, length, DontNeed);
            }

            if (_pressureBytes > 0)
            {
                GC.RemoveMemoryPressure(_pressureBytes);
                _pressureBytes = 0;
            }
        }
    }

    /// <summary>Whether every page has been given back (every array left, or <see cref="Empty"/>).</summary>
    public bool IsEmptied
    {
        get
        {
            lock (_gate)
            {
                return _isEmptied;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int descriptor, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
