using System.Globalization;
using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

/// <summary>The world's large arrays ask Linux for transparent huge pages, and are otherwise ordinary arrays.</summary>
public sealed class BulkArrayTests
{
    private const long HugePageBytes = 2 << 20;

    [Test]
    public unsafe void ALargeArray_HasEveryWhole2MiBBlockMarkedForHugePages()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/smaps") || IsHugePageSetting("never"))
        {
            Assert.Ignore("transparent huge pages exist only on Linux kernels that have them enabled");
        }

        var array = BulkArray.Allocate<long>(3 << 20);
        long start, end;
        fixed (long* first = array)
        {
            start = ((long)first + HugePageBytes - 1) & ~(HugePageBytes - 1);
            end = ((long)first + ((long)array.Length * sizeof(long))) & ~(HugePageBytes - 1);
        }

        var regions = MappedRegions().Where(r => r.End > start && r.Start < end).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(end - start, Is.GreaterThanOrEqualTo(10 * HugePageBytes), "whole 2 MiB blocks in a 24 MiB array");
            Assert.That(regions, Is.Not.Empty, "mappings covering the array");
            Assert.That(regions.Sum(r => Math.Min(r.End, end) - Math.Max(r.Start, start)), Is.EqualTo(end - start), "the array's blocks are all mapped");
            Assert.That(regions.Where(r => !r.Flags.Contains("hg", StringComparer.Ordinal)), Is.Empty, "mappings of the array without the huge-page flag (hg)");
        });
        GC.KeepAlive(array);
    }

    [Test]
    public void AZeroedArray_IsZero_AndAnUninitialisedOne_KeepsWhatIsWritten([Values(1_000, 3 << 20)] int length)
    {
        var zeroed = BulkArray.Allocate<int>(length, isUninitialized: false);
        var written = BulkArray.Allocate<int>(length);
        for (var i = 0; i < length; i++)
        {
            written[i] = i * 7;
        }

        Assert.Multiple(() =>
        {
            Assert.That(zeroed, Has.Length.EqualTo(length));
            Assert.That(zeroed.AsSpan().ContainsAnyExcept(0), Is.False, "a non-zero value in the zeroed array");
            Assert.That(Enumerable.Range(0, length).All(i => written[i] == i * 7), Is.True, "the written values read back");
        });
    }

    [TestCase(true, null, ExpectedResult = true)]
    [TestCase(true, false, ExpectedResult = true)]
    [TestCase(true, true, ExpectedResult = false)]
    [TestCase(false, null, ExpectedResult = false)]
    public bool TheAdvice_IsGivenOnLinux_UnlessTheApplicationSetsTheSwitch(bool isLinux, bool? disableSwitch) =>
        BulkArray.IsEnabled(isLinux, disableSwitch);

    [Test]
    public void TheMinimum_IsTwoHugePages_SoAnAdvisedArrayAlwaysHoldsAWholeBlock() =>
        Assert.That(BulkArray.MinimumBytes, Is.EqualTo(2 * HugePageBytes));

    private static bool IsHugePageSetting(string setting)
    {
        const string Path = "/sys/kernel/mm/transparent_hugepage/enabled";
        return !File.Exists(Path) || File.ReadAllText(Path).Contains($"[{setting}]", StringComparison.Ordinal);
    }

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
