using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// Allocates the arrays a checkpoint load fills in full (columns, changed ticks, entity handles and records) and, on
/// Linux, backs them with transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>). The .NET GC gives arrays 4 KiB pages,
/// one page fault per 4 KiB on first touch, and on a VM a page fault costs more than reading the page from the page
/// cache: in a harness on the reference VM (2 vCPU, Firecracker), reading 48 MB into a new array took 150-170 ms with
/// 4 KiB pages and 18-22 ms with huge pages, and a 1M-particle load into fresh memory went from about 210 to 50 ms.
/// </summary>
/// <remarks>
/// <para>
/// Only loads, never the frame loop's allocations (column growth, checkpoint copies): a huge page can make the kernel
/// compact memory first (the default <c>defrag</c> setting does so for advised memory), a stall the Go runtime met and
/// removed its own advice for. A load happens at start or between frames on the caller's schedule, where a stall costs
/// the load only.
/// </para>
/// <para>
/// The pages are not populated here: the load's reads fault them in, one fault per 2 MiB, on whichever of its threads
/// reads there, so the zeroing of new memory is shared between the cores too. (The one exception is each array's last
/// block, readied on the loading thread by <see cref="PrepareTail"/>: at most 2 MiB an array.) Populating them here
/// (<c>MADV_POPULATE_WRITE</c>, as an earlier version did) put all of it on the thread creating the arrays; on one
/// thread the two cost the same.
/// </para>
/// <para>
/// Best effort and invisible: the advice changes which pages back the array, never its contents, and errors (an old
/// kernel, no transparent huge pages) are ignored. The administrator's <c>never</c> is honoured: the one advice that
/// ignores it (<c>MADV_COLLAPSE</c>) is given only under <c>always</c> or <c>madvise</c>. Only arrays of at least
/// <see cref="MinimumBytes"/> are advised. The AppContext switch <c>SimHost.DisableHugePages</c> turns it all off
/// (docs/guide.md, "Deployment").
/// </para>
/// </remarks>
internal static partial class BulkArray
{
    /// <summary>
    /// Arrays smaller than one huge page are left to the GC: advising them would back whole huge pages they barely use.
    /// It was 4 MiB, which left a 1M-row world's change ticks (4,000,000 bytes per column) to 4 KiB faults: lowering
    /// it took the 1M load benchmark from 57 to 27 ns per entity.
    /// </summary>
    public const int MinimumBytes = 2 << 20;

    private const string DisableSwitch = "SimHost.DisableHugePages";
    private const string HugePageSetting = "/sys/kernel/mm/transparent_hugepage/enabled";
    private const nuint HugePageBytes = 2 << 20;
    private const nuint PageBytes = 4 << 10;
    private const int AdviseHugePage = 14;
    private const int PopulateWrite = 23;
    private const int CollapseToHugePages = 25;

    private static readonly bool s_isEnabled =
        IsEnabled(OperatingSystem.IsLinux(), AppContext.TryGetSwitch(DisableSwitch, out var disabled) ? disabled : null);

    private static readonly bool s_mayCollapse = s_isEnabled && AllowsHugePages(ReadSetting());

    /// <summary>Whether this process gives huge-page advice at all (Linux, and the switch not set): <see cref="LoadArena"/> follows it too.</summary>
    public static bool IsAdviceEnabled => s_isEnabled;

    /// <summary>Whether arrays are advised: on Linux, unless the application set <c>SimHost.DisableHugePages</c> to true.</summary>
    /// <param name="isLinux">Whether this is Linux, the one system with the advice.</param>
    /// <param name="disableSwitch">The switch's value, or null when the application did not set it.</param>
    public static bool IsEnabled(bool isLinux, bool? disableSwitch) => isLinux && disableSwitch != true;

    /// <summary>Whether the kernel's transparent-huge-page setting (the text of <c>enabled</c>) lets a process ask for huge pages.</summary>
    public static bool AllowsHugePages(string? setting) =>
        setting is not null && (setting.Contains("[always]", StringComparison.Ordinal) || setting.Contains("[madvise]", StringComparison.Ordinal));

    /// <summary>
    /// A new, uninitialised array the caller is about to write in full (a checkpoint load), on huge pages where
    /// the system allows them. Never for an array that may stay partly unused: a huge page commits 2 MiB at a time.
    /// </summary>
    public static T[] AllocateToFill<T>(int length)
        where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(length);
        Advise(array);
        return array;
    }

    private static unsafe void Advise<T>(T[] array)
        where T : unmanaged
    {
        var bytes = (nuint)array.Length * (nuint)Unsafe.SizeOf<T>();
        if (!s_isEnabled || bytes < MinimumBytes)
        {
            return;
        }

        // Pinned for the calls only: the advice belongs to the address range. Should the GC move the array later (it
        // compacts large objects on request, or under a heap hard limit), the array merely loses it. (Allocating on
        // the pinned object heap instead cost a gen-2 collection per 1M-particle load.)
        fixed (T* first = array)
        {
            var start = (nuint)first;
            var end = start + bytes;

            // Every 2 MiB block the array touches, including those it shares with its neighbours: the advice only
            // chooses page sizes. The GC has already written the array's header into the first block, so that block
            // would stay in 4 KiB pages; collapsing it makes it one huge page, copying what is there. Large arrays
            // start just past a 2 MiB boundary (the GC's regions are aligned), so without it the first block of every
            // column faulted 4 KiB at a time: the collapse took a 1M load in a harness from 76 to 50 ms.
            var blockStart = start & ~(HugePageBytes - 1);
            var blockEnd = (end + HugePageBytes - 1) & ~(HugePageBytes - 1);
            _ = Madvise((nint)blockStart, blockEnd - blockStart, AdviseHugePage);
            if (s_mayCollapse && start != blockStart)
            {
                _ = Madvise((nint)blockStart, HugePageBytes, CollapseToHugePages);
            }
        }
    }

    /// <summary>
    /// Makes the last 2 MiB block of an array from <see cref="AllocateToFill{T}"/> cheap to fill, once every array of
    /// a load exists. The block is collapsed into one huge page; where that is impossible (it reaches past the memory
    /// the GC has committed, as the last array of a GC region's does), the array's own pages in it are populated in one
    /// system call. Left to first touch, each of those pages cost a page fault of its own: on the reference VM about
    /// 11 µs, against 0.5 µs populated (64 MiB: 180 ms of faults, 8 ms populated), and a 1M-particle load met some
    /// 380 of them, about 4 ms.
    /// </summary>
    /// <remarks>
    /// Called only once the load's last array is allocated: before, the next array's first block is this one's last,
    /// and the GC's committed memory ends inside it, so a collapse would fail and the pages populated here would be
    /// copied again when the next array's first block is collapsed.
    /// </remarks>
    /// <param name="array">The whole array's bytes.</param>
    public static unsafe void PrepareTail(Span<byte> array)
    {
        if (!s_isEnabled || (nuint)array.Length < MinimumBytes)
        {
            return;
        }

        fixed (byte* first = array)
        {
            var end = (nuint)first + (nuint)array.Length;
            var block = end & ~(HugePageBytes - 1);
            if (block == end || (s_mayCollapse && Madvise((nint)block, HugePageBytes, CollapseToHugePages) == 0))
            {
                return;
            }

            // The array is at least 2 MiB long and ends past the block's start, so the block starts inside it. Errors
            // are ignored, as with the advice: a kernel older than 5.14 does not know MADV_POPULATE_WRITE, and the
            // pages are then faulted in as before.
            var to = (end + PageBytes - 1) & ~(PageBytes - 1);
            _ = Madvise((nint)block, to - block, PopulateWrite);
        }
    }

    private static string? ReadSetting()
    {
        try
        {
            return File.Exists(HugePageSetting) ? File.ReadAllText(HugePageSetting) : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
