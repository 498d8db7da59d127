using SimHost.Host.Running;

namespace SimHost.Tests.Host.Running;

public sealed class FrameTimeStatisticsTests
{
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
            Assert.That(statistics.PercentileMs(50), Is.EqualTo(50));
            Assert.That(statistics.PercentileMs(99), Is.EqualTo(99));
            Assert.That(statistics.PercentileMs(100), Is.EqualTo(100));
            Assert.That(statistics.PercentileMs(0), Is.EqualTo(1));
            Assert.That(statistics.MeanMs(), Is.EqualTo(50.5));
        });
    }

    [Test]
    public void Percentiles_FollowFramesAddedAfterAQuery()
    {
        var statistics = new FrameTimeStatistics();
        statistics.Add(TimeSpan.FromMilliseconds(10));
        Assert.That(statistics.PercentileMs(99), Is.EqualTo(10));

        statistics.Add(TimeSpan.FromMilliseconds(30));

        Assert.That(statistics.PercentileMs(99), Is.EqualTo(30));
    }

    [Test]
    public void NoFrames_GiveZero()
    {
        var statistics = new FrameTimeStatistics();

        Assert.That(statistics.PercentileMs(50), Is.Zero);
        Assert.That(statistics.MeanMs(), Is.Zero);
    }
}
