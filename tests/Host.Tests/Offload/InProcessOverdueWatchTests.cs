using System.Diagnostics;
using SimHost.Host.Offload;
using SimHost.Layout.Jobs;
using SimHost.Tests.Host.Workers;

namespace SimHost.Tests.Host.Offload;

/// <summary>A range in the host that outlasts the job timeout is reported once, by job and rows; one that ends in time is not.</summary>
[TestFixture]
public sealed class InProcessOverdueWatchTests
{
    private static readonly JobRange s_range = new() { JobName = "test.hang", RowStart = 128, RowCount = 64 };

    [Test]
    public void RangeStillRunningPastTheTimeout_IsReportedOnce_NamingJobAndRows()
    {
        var logger = new CollectingLogger();
        using var watch = new InProcessOverdueWatch(2, TimeSpan.FromMilliseconds(20), logger);

        var entry = watch.Begin(s_range);
        var waited = Stopwatch.StartNew();
        while (logger.Lines.Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(10);
        }

        Thread.Sleep(200); // several more checks of the same range
        watch.End(entry);

        Assert.That(logger.Lines, Has.Count.EqualTo(1), "hang guard: no warning within 30 s");
        Assert.That(logger.Lines[0], Does.Contain("Job test.hang rows 128+64 has run in the host for").And.Contain("past the job timeout").And.Contain("cannot be stopped"));
    }

    [Test]
    public void RangesThatEndInTime_AreNotReported()
    {
        var logger = new CollectingLogger();
        using var watch = new InProcessOverdueWatch(2, TimeSpan.FromSeconds(30), logger);

        for (var i = 0; i < 1000; i++)
        {
            watch.End(watch.Begin(s_range));
        }

        Assert.That(logger.Lines, Is.Empty);
    }

    [Test]
    public void MoreRangesThanEntries_AreRunUnwatched_NotRefused()
    {
        using var watch = new InProcessOverdueWatch(1, TimeSpan.FromSeconds(30), new CollectingLogger());

        var first = watch.Begin(s_range);
        var second = watch.Begin(s_range);
        watch.End(second);
        watch.End(first);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Zero);
            Assert.That(second, Is.EqualTo(-1));
        });
    }
}
