using SimHost.Host.Running;

namespace SimHost.Tests.Host.Running;

public sealed class FrameTimeStatisticsTests
{
    // Four significant digits: a value is reported at most 0.01% (and at least 1 µs of rounding) above itself.
    private static double Tolerance(double ms) => (ms * 0.0001) + 0.001;

    [Test]
    public void Percentiles_UseTheNearestRank()
    {
        var statistics = new FrameTimeStatistics();
        for (var ms = 100; ms >= 1; ms--)
        {
            statistics.Add(TimeSpan.FromMilliseconds(ms));
        }

        Assert.Multiple(() =>
        {
            Assert.That(statistics.Count, Is.EqualTo(100));
            Assert.That(statistics.PercentileMs(50), Is.EqualTo(50).Within(Tolerance(50)));
            Assert.That(statistics.PercentileMs(99), Is.EqualTo(99).Within(Tolerance(99)));
            Assert.That(statistics.PercentileMs(100), Is.EqualTo(100), "the maximum is exact");
            Assert.That(statistics.PercentileMs(0), Is.EqualTo(1), "the minimum is exact");
            Assert.That(statistics.MeanMs(), Is.EqualTo(50.5));
        });
    }

    [Test]
    public void Percentiles_AreExactToTheMicrosecond_BelowThirtyTwoMilliseconds()
    {
        // Frames of 1 µs to 32 ms, one of each: every percentile is a whole microsecond, reported as itself.
        var statistics = new FrameTimeStatistics();
        for (var us = 1; us <= 32_000; us++)
        {
            statistics.Add(TimeSpan.FromMicroseconds(us));
        }

        Assert.Multiple(() =>
        {
            Assert.That(statistics.PercentileMs(50), Is.EqualTo(16.000).Within(1e-9));
            Assert.That(statistics.PercentileMs(90), Is.EqualTo(28.800).Within(1e-9));
            Assert.That(statistics.PercentileMs(99), Is.EqualTo(31.680).Within(1e-9));
        });
    }

    [Test]
    public void Percentiles_FollowFramesAddedAfterAQuery()
    {
        var statistics = new FrameTimeStatistics();
        statistics.Add(TimeSpan.FromMilliseconds(10));
        Assert.That(statistics.PercentileMs(99), Is.EqualTo(10).Within(Tolerance(10)));

        statistics.Add(TimeSpan.FromMilliseconds(30));

        Assert.That(statistics.PercentileMs(99), Is.EqualTo(30).Within(Tolerance(30)));
    }

    [Test]
    public void NoFrames_GiveZero()
    {
        var statistics = new FrameTimeStatistics();

        Assert.That(statistics.PercentileMs(50), Is.Zero);
        Assert.That(statistics.MeanMs(), Is.Zero);
    }

    [Test]
    public void FramesLongerThanTheHistogram_KeepAnExactMaximum()
    {
        var statistics = new FrameTimeStatistics();
        statistics.Add(TimeSpan.FromMilliseconds(2));
        statistics.Add(FrameTimeStatistics.HighestTrackable * 3);

        Assert.That(statistics.PercentileMs(100), Is.EqualTo((FrameTimeStatistics.HighestTrackable * 3).TotalMilliseconds));
    }

    [Test]
    public void TenMillionFrames_AllocateNothing_AndMatchASortedReference()
    {
        // A known distribution: a fixed-seed log-uniform spread from 0.05 ms to 200 ms, like frame times with spikes.
        const int Frames = 10_000_000;
        var statistics = new FrameTimeStatistics();
        var reference = new double[Frames];
        var random = new Random(20261127);
        var times = new TimeSpan[Frames];
        for (var i = 0; i < Frames; i++)
        {
            var microseconds = Math.Round(50 * Math.Pow(4000, random.NextDouble()));
            times[i] = TimeSpan.FromMicroseconds(microseconds);
            reference[i] = microseconds / 1000;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Frames; i++)
        {
            statistics.Add(times[i]);
        }

        var p50 = statistics.PercentileMs(50);
        var p90 = statistics.PercentileMs(90);
        var p99 = statistics.PercentileMs(99);
        var max = statistics.PercentileMs(100);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Array.Sort(reference);
        Assert.Multiple(() =>
        {
            Assert.That(statistics.Count, Is.EqualTo(Frames));
            Assert.That(allocated, Is.LessThan(1024), "bytes allocated while recording 10M frames and reading four percentiles");
            Assert.That(p50, Is.EqualTo(NearestRank(reference, 50)).Within(Tolerance(NearestRank(reference, 50))), "p50");
            Assert.That(p90, Is.EqualTo(NearestRank(reference, 90)).Within(Tolerance(NearestRank(reference, 90))), "p90");
            Assert.That(p99, Is.EqualTo(NearestRank(reference, 99)).Within(Tolerance(NearestRank(reference, 99))), "p99");
            Assert.That(max, Is.EqualTo(reference[^1]), "max is exact");
        });
    }

    private static double NearestRank(double[] sorted, double percent) =>
        sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
