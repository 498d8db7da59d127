using System.Globalization;
using System.Runtime.InteropServices;
using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

/// <summary>The arrays a checkpoint load fills ask Linux for transparent huge pages, and are otherwise ordinary arrays.</summary>
public sealed partial class BulkArrayTests
{
    private const long HugePageBytes = 2 << 20;
    private const long PageBytes = 4 << 10;

    [Test]
    public unsafe void AnArrayToFill_HasEveryBlockItTouchesMarkedForHugePages_ItsFirstBlockToo()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/smaps") || !Directory.Exists("/sys/kernel/mm/transparent_hugepage"))
        {
            Assert.Ignore("transparent huge pages exist only on Linux kernels built with them");
        }

        var array = BulkArray.AllocateToFill<long>(3 << 20);
        long start, end;
        fixed (long* first = array)
        {
            start = (long)first;
            end = start + ((long)array.Length * sizeof(long));
        }

        // From the start of the 2 MiB block the array begins in (shared with the GC's headers) to the array's end.
        var blockStart = start & ~(HugePageBytes - 1);
        var regions = MappedRegions().Where(r => r.End > blockStart && r.Start < end).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(regions, Is.Not.Empty, "mappings covering the array");
            Assert.That(regions.Sum(r => Math.Min(r.End, end) - Math.Max(r.Start, blockStart)), Is.EqualTo(end - blockStart), "the array and its first block are all mapped");
            Assert.That(regions.Where(r => !r.Flags.Contains("hg", StringComparer.Ordinal)), Is.Empty, "mappings of the array without the huge-page flag (hg)");
        });
        GC.KeepAlive(array);
    }

    [Test]
    public void AnArrayToFill_KeepsWhatIsWritten([Values(1_000, 3 << 20)] int length)
    {
        var array = BulkArray.AllocateToFill<int>(length);
        for (var i = 0; i < length; i++)
        {
            array[i] = i * 7;
        }

        Assert.Multiple(() =>
        {
            Assert.That(array, Has.Length.EqualTo(length));
            Assert.That(Enumerable.Range(0, length).All(i => array[i] == i * 7), Is.True, "the written values read back");
        });
    }

    [Test]
    public unsafe void PreparingAnArraysTail_MakesItsLastPagesResident()
    {
        // MADV_COLLAPSE came with Linux 6.1, MADV_POPULATE_WRITE with 5.14: on older kernels the pages are left to faults.
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/sys/kernel/mm/transparent_hugepage") || Environment.OSVersion.Version < new Version(5, 14))
        {
            Assert.Ignore("the pages are prepared only on Linux 5.14 or later with transparent huge pages");
        }

        // Odd lengths, so the array is sure to end inside a 2 MiB block whatever address the GC gives it.
        var array = BulkArray.AllocateToFill<byte>((5 << 20) + 12_345);
        BulkArray.PrepareTail(array);
        fixed (byte* first = array)
        {
            var end = (long)first + array.Length;
            var from = end & ~(HugePageBytes - 1);
            var pages = (int)((end - from + PageBytes - 1) / PageBytes);
            var residency = new byte[pages];
            fixed (byte* vector = residency)
            {
                Assert.That(MinCore((nint)from, (nuint)(end - from), vector), Is.Zero, "mincore on the array's last block");
            }

            Assert.That(residency.Count(static r => (r & 1) == 0), Is.Zero, $"pages of the array's last block still to be faulted in, of {pages}");
        }
    }

    [Test]
    public void PreparingAnArraysTail_KeepsWhatIsWritten([Values(1_000, (3 << 20) + 77)] int length)
    {
        // Written first, so the last block of the large array holds 4 KiB pages that collapsing it into a huge page must
        // copy. The small one is below BulkArray.MinimumBytes: preparing it must leave it alone.
        var array = BulkArray.AllocateToFill<int>(length);
        for (var i = 0; i < length; i++)
        {
            array[i] = i * 7;
        }

        BulkArray.PrepareTail(MemoryMarshal.AsBytes(array.AsSpan()));
        Assert.That(Enumerable.Range(0, length).All(i => array[i] == i * 7), Is.True, "the written values read back");
    }

    [TestCase(true, null, ExpectedResult = true)]
    [TestCase(true, false, ExpectedResult = true)]
    [TestCase(true, true, ExpectedResult = false)]
    [TestCase(false, null, ExpectedResult = false)]
    public bool TheAdvice_IsGivenOnLinux_UnlessTheApplicationSetsTheSwitch(bool isLinux, bool? disableSwitch) =>
        BulkArray.IsEnabled(isLinux, disableSwitch);

    [TestCase("always [madvise] never\n", ExpectedResult = true)]
    [TestCase("[always] madvise never\n", ExpectedResult = true)]
    [TestCase("always madvise [never]\n", ExpectedResult = false)]
    [TestCase(null, ExpectedResult = false)]
    public bool TheCollapse_HonoursTheAdministratorsSetting(string? setting) => BulkArray.AllowsHugePages(setting);

    [LibraryImport("libc", EntryPoint = "mincore")]
    private static unsafe partial int MinCore(nint address, nuint length, byte* vector);

    private static List<(long Start, long End, string[] Flags)> MappedRegions()
    {
        var regions = new List<(long Start, long End, string[] Flags)>();
        long start = 0, end = 0;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && long.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var s)
                && long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var e))
            {
                (start, end) = (s, e);
            }
            else if (line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                regions.Add((start, end, line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            }
        }

        return regions;
    }
}
