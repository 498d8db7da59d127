using System.Globalization;
using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

/// <summary>The arrays a checkpoint load fills ask Linux for transparent huge pages, and are otherwise ordinary arrays.</summary>
public sealed class BulkArrayTests
{
    private const long HugePageBytes = 2 << 20;

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
