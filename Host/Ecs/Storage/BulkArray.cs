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
/// without transparent huge pages (or with them set to <c>never</c>) refuses it, which is ignored. Only the array's
/// whole 2 MiB-aligned blocks are advised, and only for arrays of at least <see cref="MinimumBytes"/>. An
/// application that wants 4 KiB pages everywhere sets the AppContext switch <c>SimHost.DisableHugePages</c>
/// (docs/guide.md, "Deployment").
/// </remarks>
internal static partial class BulkArray
{
    /// <summary>Arrays smaller than this are left to the GC: at most one whole huge page would fit in them.</summary>
    public const int MinimumBytes = 4 << 20;

    private const string DisableSwitch = "SimHost.DisableHugePages";
    private const nint HugePageBytes = 2 << 20;
    private const int AdviseHugePage = 14;

    private static readonly bool s_isEnabled =
        OperatingSystem.IsLinux() && !(AppContext.TryGetSwitch(DisableSwitch, out var disabled) && disabled);

    /// <summary>A new array of <paramref name="length"/> elements, zeroed unless <paramref name="isUninitialized"/>.</summary>
    public static T[] Allocate<T>(int length, bool isUninitialized = true)
        where T : unmanaged
    {
        var array = isUninitialized ? GC.AllocateUninitializedArray<T>(length) : new T[length];
        Advise(array);
        return array;
    }

    /// <summary>Advises huge pages for <paramref name="array"/>'s whole 2 MiB blocks, if it is large enough.</summary>
    public static unsafe void Advise<T>(T[] array)
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
            var start = ((nint)first + HugePageBytes - 1) & ~(HugePageBytes - 1);
            var end = ((nint)first + (nint)bytes) & ~(HugePageBytes - 1);
            if (end > start)
            {
                _ = Madvise(start, (nuint)(end - start), AdviseHugePage);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
