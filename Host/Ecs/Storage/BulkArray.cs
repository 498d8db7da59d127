using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// Allocates the world's large arrays (columns, changed ticks, entity handles and records) and, on Linux, asks the
/// kernel to back them with transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>), as mimalloc and the Go runtime do
/// for their large allocations. The .NET GC does not: its arrays get 4 KiB pages, one page fault per 4 KiB on first
/// touch. Measured on the reference VM (2 vCPU, Firecracker), reading 48 MB from the page cache into a new array took
/// 150-170 ms with 4 KiB pages and 18-22 ms with huge pages; a checkpoint load, a world's first frames and every
/// column growth touch new memory the same way.
/// </summary>
/// <remarks>
/// Best effort and invisible: the advice changes which pages back the array, never its contents, and a kernel
/// without transparent huge pages (or with them set to <c>never</c>) refuses it, which is ignored. Only arrays of at
/// least <see cref="MinimumBytes"/> are advised. An
/// application that wants 4 KiB pages everywhere sets the AppContext switch <c>SimHost.DisableHugePages</c>
/// (docs/guide.md, "Deployment").
/// </remarks>
internal static partial class BulkArray
{
    /// <summary>Arrays smaller than this are left to the GC: at most one whole huge page would fit in them.</summary>
    public const int MinimumBytes = 4 << 20;

    private const string DisableSwitch = "SimHost.DisableHugePages";
    private const nint HugePageBytes = 2 << 20;
    private const nint PageBytes = 4096;
    private const int AdviseHugePage = 14;
    private const int PopulateWrite = 23;
    private const int CollapseToHugePages = 25;

    private static readonly bool s_isEnabled =
        IsEnabled(OperatingSystem.IsLinux(), AppContext.TryGetSwitch(DisableSwitch, out var disabled) ? disabled : null);

    /// <summary>Whether arrays are advised: on Linux, unless the application set <c>SimHost.DisableHugePages</c> to true.</summary>
    /// <param name="isLinux">Whether this is Linux, the one system with the advice.</param>
    /// <param name="disableSwitch">The switch's value, or null when the application did not set it.</param>
    public static bool IsEnabled(bool isLinux, bool? disableSwitch) => isLinux && disableSwitch != true;

    /// <summary>A new array of <paramref name="length"/> elements, zeroed unless <paramref name="isUninitialized"/>.</summary>
    public static T[] Allocate<T>(int length, bool isUninitialized = true)
        where T : unmanaged
    {
        var array = isUninitialized ? GC.AllocateUninitializedArray<T>(length) : new T[length];
        Advise(array, populate: false);
        return array;
    }

    /// <summary>
    /// A new, uninitialised array the caller is about to write in full (a checkpoint load): besides the huge-page
    /// advice, its pages are faulted in by one call (<c>MADV_POPULATE_WRITE</c>, Linux 5.14+) instead of one fault per
    /// page as the writes reach them, which halves the cost of the 4 KiB pages at its ends (82 against 153 ms per 48 MB
    /// measured on the reference VM). Never for an array that may stay partly unused: it would commit that memory.
    /// </summary>
    public static T[] AllocateToFill<T>(int length)
        where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(length);
        Advise(array, populate: true);
        return array;
    }

    /// <summary>Advises huge pages for the 2 MiB blocks <paramref name="array"/> lies in, if it is large enough, and populates its pages if asked.</summary>
    private static unsafe void Advise<T>(T[] array, bool populate)
        where T : unmanaged
    {
        var bytes = (long)array.Length * Unsafe.SizeOf<T>();
        if (!s_isEnabled || bytes < MinimumBytes)
        {
            return;
        }

        // Pinned for the call only: the advice belongs to the address range, which a large array keeps (the GC
        // compacts the large object heap only when an application asks it to, and a moved array merely loses it).
        fixed (T* first = array)
        {
            // Every block the array touches, including the first and last it shares with its neighbours: the advice
            // only chooses page sizes, so it never hurts them. The GC has already written the array's header, so the
            // first block holds a 4 KiB page and would stay in 4 KiB pages; collapsing it (MADV_COLLAPSE, Linux 6.1+)
            // makes it one huge page, copying what is there. Large arrays start just past a 2 MiB boundary (the
            // GC's regions are aligned), so without it the first block of every column faulted 4 KiB at a time.
            var blockStart = (nint)first & ~(HugePageBytes - 1);
            var blockEnd = ((nint)first + (nint)bytes + HugePageBytes - 1) & ~(HugePageBytes - 1);
            _ = Madvise(blockStart, (nuint)(blockEnd - blockStart), AdviseHugePage);
            if ((nint)first != blockStart)
            {
                _ = Madvise(blockStart, (nuint)HugePageBytes, CollapseToHugePages);
            }

            // Whole 4 KiB pages only: the pages at the ends are shared with the objects beside the array.
            var pageStart = ((nint)first + PageBytes - 1) & ~(PageBytes - 1);
            var pageEnd = ((nint)first + (nint)bytes) & ~(PageBytes - 1);
            if (populate && pageEnd > pageStart)
            {
                _ = Madvise(pageStart, (nuint)(pageEnd - pageStart), PopulateWrite);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
