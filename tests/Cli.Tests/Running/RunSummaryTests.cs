using SimHost.Host.Running;

namespace SimHost.Tests.Host.Running;

public sealed class RunSummaryTests
{
    private static string Write(RunSummary summary)
    {
        using var output = new StringWriter();
        summary.WriteTo(output);
        return output.ToString().ReplaceLineEndings("\n");
    }

    private static RunSummary Summary(int workers, (int, long)? workersDown = null, string stoppedBy = RunSummary.FramesDone) =>
        new(600, 600, 100_000, workers, TimeSpan.FromSeconds(2), new FrameTimeStatistics(), 0, 0, 60_000_000, 0, workersDown, stoppedBy, "8c4f");

    [TestCase(0, "jobs ran:        in-process\n")]
    [TestCase(1, "jobs ran:        1 worker process\n")]
    [TestCase(2, "jobs ran:        2 worker processes\n")]
    public void JobsRan_CountsWorkerProcesses_InTheRightNumber(int workers, string expected) =>
        Assert.That(Write(Summary(workers)), Does.Contain(expected));

    [Test]
    public void StoppedBy_NamesWhatEndedTheRun_JustBeforeTheChecksum()
    {
        var text = Write(Summary(2, stoppedBy: "Ctrl-C (SIGINT)"));

        Assert.That(text, Does.EndWith("stopped by:      Ctrl-C (SIGINT)\nchecksum: 8c4f\n"));
    }

    [Test]
    public void WorkersDown_ShowsHowManySinceWhichFrame_AndThatJobsRanInProcess_WhenAllAre()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Write(Summary(2, (2, 812))), Does.Contain("workers down:    2 of 2 since frame 812 (jobs ran in-process, but for any that crashed or hung a worker)\n"));
            Assert.That(Write(Summary(2, (1, 40))), Does.Contain("workers down:    1 of 2 since frame 40\n"));
            Assert.That(Write(Summary(2)), Does.Not.Contain("workers down"), "no line while every slot is up");
        });
    }

    [Test]
    public void WorkersDown_UnderFail_SaysTheRunEndedThere_AndNeverThatJobsRanInProcess()
    {
        var text = Write(Summary(2, (2, 300)) with { IsEndedByWorkerFailure = true });

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("workers down:    2 of 2 (the run ended at the failure: --on-worker-failure fail)\n"));
            Assert.That(text, Does.Not.Contain("in-process"));
        });
    }

    [Test]
    public void WallTime_RateCountsEveryFrame_OfARunFromTheStart()
    {
        var text = Write(Summary(2));

        Assert.That(text, Does.Contain("wall time:       2.000 s (300.0 frames/s)\n"));
    }

    [Test]
    public void WallTime_RateCountsOnlyTheFramesRunThisProcess_AfterAResume()
    {
        var summary = Summary(2) with { FramesRun = 100 };

        Assert.That(Write(summary), Does.Contain("wall time:       2.000 s (50.0 frames/s over the 100 frames run since frame 500)\n"));
    }

    [Test]
    public void WallTime_ShowsNoRate_WhenAResumeStartsAtItsLastFrame()
    {
        var summary = Summary(2) with { FramesRun = 0, Wall = TimeSpan.FromMilliseconds(1) };

        Assert.That(Write(summary), Does.Contain("wall time:       0.001 s (no frame ran)\n"));
    }

    [Test]
    public void Checkpoints_CountsWrittenAndSkipped_AndSaysWhatToDo_OnlyWhenSomeWereSkipped()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Write(Summary(2) with { Checkpoints = (10, 0) }), Does.Contain("checkpoints:     10 written, 0 skipped\n"));
            Assert.That(
                Write(Summary(2) with { Checkpoints = (6, 4) }),
                Does.Contain("checkpoints:     6 written, 4 skipped (each fell due while the previous was still being written: raise --checkpoint-every, to give each more frames to be written in)\n"));
            Assert.That(Write(Summary(2)), Does.Not.Contain("checkpoints"), "no line for a run without checkpoints");
        });
    }
}
