using CsCheck;
using SimHost.Host.Workers;

namespace SimHost.Tests.Host.Workers;

/// <summary>One slot's restart decisions: exponential backoff, reset after a healthy stretch, and the intensity limit.</summary>
[TestFixture]
public sealed class RestartTrackerTests
{
    private static readonly bool[] s_threeThenDown = [true, true, true, false];
    private static readonly bool[] s_twiceThenDown = [true, true, false];
    private readonly ManualClock _clock = new();

    private RestartPolicy Policy(int maxRestarts = 100) => new()
    {
        MaxRestarts = maxRestarts,
        RestartWindow = TimeSpan.FromSeconds(30),
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromSeconds(2),
        HealthyStretch = TimeSpan.FromSeconds(10),
        TimeProvider = _clock,
    };

    [Test]
    public void Backoff_DoublesFrom50Milliseconds_UpToTheCap()
    {
        var tracker = new RestartTracker(Policy());
        var delays = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            tracker.OnReady();
            _clock.Advance(TimeSpan.FromSeconds(1));
            delays.Add(tracker.OnFailure(0).Delay.TotalMilliseconds);
        }

        Assert.That(delays, Is.EqualTo(new double[] { 50, 100, 200, 400, 800, 1600, 2000, 2000, 2000 }));
    }

    [Test]
    public void Backoff_StartsAgainAt50Milliseconds_AfterAHealthyStretch()
    {
        var tracker = new RestartTracker(Policy());
        tracker.OnReady();
        tracker.OnFailure(0);
        tracker.OnReady();
        var second = tracker.OnFailure(0);
        tracker.OnReady();
        _clock.Advance(TimeSpan.FromSeconds(10));
        var afterHealthy = tracker.OnFailure(0);

        Assert.Multiple(() =>
        {
            Assert.That(second.Delay, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
            Assert.That(afterHealthy.Delay, Is.EqualTo(TimeSpan.FromMilliseconds(50)));
        });
    }

    [Test]
    public void IntensityLimit_LeavesTheSlotDown_AfterRRestartsWithinT()
    {
        var tracker = new RestartTracker(Policy(maxRestarts: 3));
        var decisions = new List<RestartDecision>();
        for (var i = 0; i < 4; i++)
        {
            tracker.OnReady();
            _clock.Advance(TimeSpan.FromSeconds(1));
            decisions.Add(tracker.OnFailure(0));
        }

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Select(d => d.ShouldRestart), Is.EqualTo(s_threeThenDown));
            Assert.That(decisions[3].GiveUpReason, Does.Contain("3 restarts within 30 s").And.Contain("--max-restarts 3"));
        });
    }

    [Test]
    public void IntensityLimit_ForgetsRestartsOlderThanTheWindow()
    {
        var tracker = new RestartTracker(Policy(maxRestarts: 2));
        tracker.OnFailure(0);
        tracker.OnFailure(0);
        _clock.Advance(TimeSpan.FromSeconds(31));

        var later = tracker.OnFailure(0);

        Assert.That(later.ShouldRestart, Is.True);
    }

    [Test]
    public void ZeroMaxRestarts_NeverRestarts_AndSaysRestartsAreOff()
    {
        var tracker = new RestartTracker(Policy(maxRestarts: 0));

        var decision = tracker.OnFailure(0);

        Assert.Multiple(() =>
        {
            Assert.That(decision.ShouldRestart, Is.False);
            Assert.That(decision.GiveUpReason, Does.StartWith("restarts are off"), "not a limit 'reached' after no restart at all");
        });
    }

    [Test]
    public void ALostWorker_IsNotReplaced_WhenLostWorkersAreNotReplaced()
    {
        var tracker = new RestartTracker(Policy() with { ReplacesLostWorkers = false });
        tracker.OnReady();

        var decision = tracker.OnFailure(0);

        Assert.Multiple(() =>
        {
            Assert.That(decision.ShouldRestart, Is.False);
            Assert.That(decision.GiveUpReason, Does.Contain("a lost worker is not replaced").And.Contain("--on-worker-failure fail"));
        });
    }

    [Test]
    public void AWorkerThatFailedToStart_IsStartedAgain_EvenWhenLostWorkersAreNotReplaced()
    {
        var tracker = new RestartTracker(Policy() with { ReplacesLostWorkers = false, MaxConsecutiveStartFailures = 3 });

        var decisions = new[] { tracker.OnFailure(1), tracker.OnFailure(2), tracker.OnFailure(3) };

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Select(d => d.ShouldRestart), Is.EqualTo(s_twiceThenDown), "started again until the limit of failed starts");
            Assert.That(decisions[2].GiveUpReason, Does.Contain("3 failed starts in a row"));
        });
    }

    [Test]
    public void ConsecutiveStartFailures_GiveTheSlotUp()
    {
        var tracker = new RestartTracker(Policy() with { MaxConsecutiveStartFailures = 3 });

        var decision = tracker.OnFailure(3);

        Assert.Multiple(() =>
        {
            Assert.That(decision.ShouldRestart, Is.False);
            Assert.That(decision.GiveUpReason, Does.Contain("3 failed starts in a row"));
        });
    }

    [Test]
    public void Property_NeverMoreThanRRestartsInAnyWindow_AndDelaysStayWithinBounds()
    {
        Gen.Select(Gen.Int[0, 6], Gen.Int[0, 4000].Array[1, 40]).SampleSeeded(sample =>
        {
            var (maxRestarts, gapsMs) = sample;
            var clock = new ManualClock();
            var policy = Policy(maxRestarts) with { TimeProvider = clock, RestartWindow = TimeSpan.FromSeconds(5) };
            var tracker = new RestartTracker(policy);
            var restarts = new List<TimeSpan>();
            var elapsed = TimeSpan.Zero;
            foreach (var gap in gapsMs)
            {
                clock.Advance(TimeSpan.FromMilliseconds(gap));
                elapsed += TimeSpan.FromMilliseconds(gap);
                var decision = tracker.OnFailure(0);
                if (!decision.ShouldRestart)
                {
                    // Down is final: the model is that the slot's loop stops here.
                    return restarts.Count(t => elapsed - t <= policy.RestartWindow) >= maxRestarts;
                }

                if (decision.Delay < policy.InitialBackoff || decision.Delay > policy.MaxBackoff)
                {
                    return false;
                }

                restarts.Add(elapsed);
                if (restarts.Count(t => elapsed - t <= policy.RestartWindow) > maxRestarts)
                {
                    return false;
                }
            }

            return true;
        }, iterations: 300);
    }
}
