using System.Collections.Concurrent;
using SimHost.Host.Scheduling;
using static SimHost.Tests.Host.Scheduling.TestSystems;

#pragma warning disable CA1861 // Expected values read best inline; tests are not a hot path.

namespace SimHost.Tests.Host.Scheduling;

public sealed class ScheduleRunnerTests
{
    private static readonly FrameTiming s_frame0 = new(0, 1.0 / 60, 0);

    private static FrameTiming Frame(long index) => new(index, 1.0 / 60, index / 60.0);

    private static string[] FailureMessages(FrameReport report) =>
        report.Systems
            .Where(s => s.Outcome == SystemOutcome.Failed)
            .Select(s => $"{s.Name}: {s.Exception?.Message}")
            .ToArray();

    [Test]
    public async Task StagesAndLevels_RunInOrder()
    {
        var trace = new ConcurrentQueue<string>();
        SystemDescriptorBuilder Traced(string name) => SystemDescriptor.Create(name).Runs(_ => trace.Enqueue(name));
        var schedule = new ScheduleBuilder()
            .Add(Traced("Cleanup").InStage(StageNames.Cleanup))
            .Add(Traced("Render").After("Move"))
            .Add(Traced("Move"))
            .Add(Traced("Input").InStage(StageNames.PreUpdate))
            .Add(Traced("Boot").InStage(StageNames.Startup))
            .Build();

        await new ScheduleRunner(schedule).RunFrameAsync(s_frame0);

        Assert.That(trace, Is.EqualTo(new[] { "Boot", "Input", "Move", "Render", "Cleanup" }));
    }

    [Test]
    public async Task NonConflictingInProcessSystems_RunAtTheSameTime()
    {
        using var barrier = new Barrier(2);
        SystemDescriptorBuilder MeetAtBarrier(string name, string other) => SystemDescriptor.Create(name)
            .Reads<Position>()
            .Runs(_ =>
            {
                if (!barrier.SignalAndWait(HangGuard))
                {
                    throw new TimeoutException($"'{name}' waited {HangGuard} at the barrier and '{other}' never came.");
                }
            });
        var schedule = new ScheduleBuilder().Add(MeetAtBarrier("A", "B")).Add(MeetAtBarrier("B", "A")).Build();

        var report = await new ScheduleRunner(schedule).RunFrameAsync(s_frame0);

        Assert.That(FailureMessages(report), Is.Empty);
        Assert.That(report.Systems.Select(s => s.Outcome), Is.All.EqualTo(SystemOutcome.Succeeded));
    }

    [Test]
    public async Task NonConflictingOffloadedSystems_AreDispatchedTogether()
    {
        var aStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        SystemDescriptorBuilder Job(string name, TaskCompletionSource mine, TaskCompletionSource theirs, string other) =>
            SystemDescriptor.Create(name).Offloaded().Writes(name == "A" ? typeof(Position) : typeof(Velocity))
                .Runs(async (_, cancellationToken) =>
                {
                    mine.SetResult();
                    try
                    {
                        await theirs.Task.WaitAsync(HangGuard, cancellationToken);
                    }
                    catch (TimeoutException)
                    {
                        throw new TimeoutException($"Offloaded '{name}' waited {HangGuard} for '{other}' to start.");
                    }
                });
        var schedule = new ScheduleBuilder()
            .Add(Job("A", aStarted, bStarted, "B"))
            .Add(Job("B", bStarted, aStarted, "A"))
            .Build();

        var report = await new ScheduleRunner(schedule).RunFrameAsync(s_frame0);

        Assert.That(FailureMessages(report), Is.Empty);
        Assert.That(schedule.Stages[2].Levels, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task OffloadedAndInProcessSystems_OfOneLevelOverlap()
    {
        var jobStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var localDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var schedule = new ScheduleBuilder()
            .Add(SystemDescriptor.Create("Job").Offloaded().Writes<Position>().Runs(async (_, cancellationToken) =>
            {
                jobStarted.SetResult();
                try
                {
                    await localDone.Task.WaitAsync(HangGuard, cancellationToken);
                }
                catch (TimeoutException)
                {
                    throw new TimeoutException($"Offloaded 'Job' waited {HangGuard} for in-process 'Local' to finish.");
                }
            }))
            .Add(SystemDescriptor.Create("Local").Writes<Velocity>().Runs(_ =>
            {
                if (!jobStarted.Task.Wait(HangGuard))
                {
                    throw new TimeoutException($"'Local' waited {HangGuard} for offloaded 'Job' to start.");
                }

                localDone.SetResult();
            }))
            .Build();

        var report = await new ScheduleRunner(schedule).RunFrameAsync(s_frame0);

        Assert.That(FailureMessages(report), Is.Empty);
    }

    [Test]
    public async Task OnlyTheLastOffloadedSystemOfALevel_MayBlockItsCaller_AndNoneBesideAnInProcessOne()
    {
        var mayBlock = new ConcurrentDictionary<string, bool>();
        SystemDescriptorBuilder Offloaded(string name, Type writes) => SystemDescriptor.Create(name).Offloaded().Writes(writes)
            .Runs((context, _) =>
            {
                mayBlock[name] = context.MayBlockCaller;
                return ValueTask.CompletedTask;
            });
        var onlyOffloaded = new ScheduleBuilder().Add(Offloaded("A", typeof(Position))).Add(Offloaded("B", typeof(Velocity))).Build();
        var withInProcess = new ScheduleBuilder()
            .Add(Offloaded("C", typeof(Position)))
            .Add(SystemDescriptor.Create("Local").Writes<Velocity>().Runs(_ => { }))
            .Build();

        await new ScheduleRunner(onlyOffloaded).RunFrameAsync(s_frame0);
        await new ScheduleRunner(withInProcess).RunFrameAsync(s_frame0);

        Assert.That(mayBlock["A"], Is.False, "B is started after A on the same thread");
        Assert.That(mayBlock["B"], Is.True, "nothing of the level is started after B");
        Assert.That(mayBlock["C"], Is.False, "the in-process system runs after C on the same thread");
    }

    [Test]
    public async Task ConflictingSystems_NeverOverlap()
    {
        var inside = 0;
        var overlaps = 0;
        var runs = 0;
        SystemDescriptorBuilder Writer(string name, ExecutionKind kind) => SystemDescriptor.Create(name)
            .WithExecutionKind(kind)
            .Writes<Position>()
            .Runs(async (_, _) =>
            {
                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                // Give a concurrent intruder every chance to show up while this system holds the access.
                for (var i = 0; i < 20; i++)
                {
                    await Task.Yield();
                }

                Interlocked.Increment(ref runs);
                Interlocked.Decrement(ref inside);
            });
        var schedule = new ScheduleBuilder()
            .Add(Writer("W1", ExecutionKind.InProcess))
            .Add(Writer("W2", ExecutionKind.Offloaded))
            .Add(Writer("W3", ExecutionKind.InProcess))
            .Add(Noop("Other1").Writes<Velocity>())
            .Add(Noop("Other2").Reads<Health>())
            .Build();
        var runner = new ScheduleRunner(schedule);

        for (var frame = 0; frame < 25; frame++)
        {
            var report = await runner.RunFrameAsync(Frame(frame));
            Assert.That(FailureMessages(report), Is.Empty);
        }

        Assert.That(overlaps, Is.Zero);
        Assert.That(runs, Is.EqualTo(75));
    }

    [Test]
    public async Task StartupStage_RunsOnTheFirstFrameOnly()
    {
        var startups = 0;
        var updates = 0;
        var schedule = new ScheduleBuilder()
            .Add(SystemDescriptor.Create("Boot").InStage(StageNames.Startup).Runs(_ => Interlocked.Increment(ref startups)))
            .Add(SystemDescriptor.Create("Tick").Runs(_ => Interlocked.Increment(ref updates)))
            .Build();
        var runner = new ScheduleRunner(schedule);

        await runner.RunFrameAsync(Frame(0));
        await runner.RunFrameAsync(Frame(1));
        var third = await runner.RunFrameAsync(Frame(2));

        Assert.That(startups, Is.EqualTo(1));
        Assert.That(updates, Is.EqualTo(3));
        Assert.That(third.GetSystem("Boot").Outcome, Is.EqualTo(SystemOutcome.NotRun));
        Assert.That(third.GetSystem("Tick").Outcome, Is.EqualTo(SystemOutcome.Succeeded));
    }

    [Test]
    public async Task FailingSystem_IsReportedByName_SiblingsRun_DependentsAreSkipped_ObserverStillCalled()
    {
        var ran = new ConcurrentQueue<string>();
        SystemDescriptorBuilder Tracked(string name) => SystemDescriptor.Create(name).Runs(_ => ran.Enqueue(name));
        var observer = new RecordingStageObserver();
        var schedule = new ScheduleBuilder()
            .Add(SystemDescriptor.Create("Broken").Writes<Position>()
                .Runs((_, _) => throw new InvalidOperationException("boom")))
            .Add(Tracked("Sibling"))
            .Add(Tracked("Dependent").After("Broken"))
            .Add(Tracked("Transitive").After("Dependent"))
            .Add(Tracked("Reader").Reads<Position>())
            .Add(Tracked("Late").InStage(StageNames.PostUpdate))
            .Build();

        var report = await new ScheduleRunner(schedule, observer).RunFrameAsync(s_frame0);

        var broken = report.GetSystem("Broken");
        Assert.That(broken.Outcome, Is.EqualTo(SystemOutcome.Failed));
        Assert.That(broken.Exception, Is.TypeOf<InvalidOperationException>().With.Message.EqualTo("boom"));
        Assert.That(report.GetSystem("Dependent"), Is.EqualTo(
            new SystemReport("Dependent", StageNames.Update, SystemOutcome.Skipped, TimeSpan.Zero, null, "Broken")));
        Assert.That(report.GetSystem("Transitive").BlockedBy, Is.EqualTo("Broken"));
        Assert.That(report.GetSystem("Transitive").Outcome, Is.EqualTo(SystemOutcome.Skipped));
        Assert.That(ran, Is.EquivalentTo(new[] { "Sibling", "Reader", "Late" }), "conflict edges do not propagate skips");
        Assert.That((report.FailedCount, report.SkippedCount, report.HasFailures), Is.EqualTo((1, 2, true)));

        var update = observer.Completions.Single(c => c.Stage.Name == StageNames.Update);
        Assert.That((update.FailedCount, update.SkippedCount, update.HasFailures), Is.EqualTo((1, 2, true)));
        Assert.That(observer.Completions.Select(c => c.Stage.Name), Is.EqualTo(new[]
        {
            StageNames.Startup, StageNames.PreUpdate, StageNames.Update, StageNames.PostUpdate, StageNames.Cleanup,
        }));
    }

    [Test]
    public async Task FailingAsyncOffloadedSystem_IsCaptured()
    {
        var schedule = new ScheduleBuilder()
            .Add(SystemDescriptor.Create("Job").Offloaded().Runs(async (_, _) =>
            {
                await Task.Yield();
                throw new IOException("worker lost");
            }))
            .Add(Noop("Other").Offloaded())
            .Build();

        var report = await new ScheduleRunner(schedule).RunFrameAsync(s_frame0);

        Assert.That(FailureMessages(report), Is.EqualTo(new[] { "Job: worker lost" }));
        Assert.That(report.GetSystem("Other").Outcome, Is.EqualTo(SystemOutcome.Succeeded));
    }

    [Test]
    public async Task Systems_ReceiveTimingAndFrameState()
    {
        var seen = new ConcurrentBag<SystemRunContext>();
        var state = new object();
        var schedule = new ScheduleBuilder()
            .Add(SystemDescriptor.Create("A").Runs(seen.Add))
            .Add(SystemDescriptor.Create("B").Offloaded().Runs(seen.Add))
            .Build();
        var timing = new FrameTiming(7, 0.5, 3.5);

        var report = await new ScheduleRunner(schedule).RunFrameAsync(timing, state);

        Assert.That(seen, Has.Count.EqualTo(2).And.All.EqualTo(new SystemRunContext(timing, state)));
        Assert.That(seen.First().DeltaSeconds, Is.EqualTo(0.5));
        Assert.That(report.FrameIndex, Is.EqualTo(7));
        Assert.That(report.Elapsed, Is.GreaterThanOrEqualTo(report.GetSystem("A").Elapsed));
    }

    [Test]
    public void Cancellation_StopsTheFrameBetweenLevels()
    {
        using var cancellation = new CancellationTokenSource();
        var observer = new RecordingStageObserver();
        var secondRan = false;
        var schedule = new ScheduleBuilder()
            .Add(SystemDescriptor.Create("First").Runs(_ => cancellation.Cancel()))
            .Add(SystemDescriptor.Create("Second").After("First").Runs(_ => secondRan = true))
            .Build();
        var runner = new ScheduleRunner(schedule, observer);

        Assert.That(
            async () => await runner.RunFrameAsync(s_frame0, cancellationToken: cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(secondRan, Is.False);
        Assert.That(observer.Completions.Select(c => c.Stage.Name), Is.EqualTo(new[] { StageNames.Startup, StageNames.PreUpdate }));
    }

    [Test]
    public async Task OverlappingFrames_AreRejected()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var schedule = new ScheduleBuilder()
            .Add(SystemDescriptor.Create("Wait").Offloaded().Runs((_, cancellationToken) => new ValueTask(release.Task.WaitAsync(HangGuard, cancellationToken))))
            .Build();
        var runner = new ScheduleRunner(schedule);

        var first = runner.RunFrameAsync(Frame(0)).AsTask();

        Assert.That(async () => await runner.RunFrameAsync(Frame(1)), Throws.InvalidOperationException);
        release.SetResult();
        var report = await first;
        Assert.That(FailureMessages(report), Is.Empty);
    }

    [Test]
    public async Task EmptySchedule_RunsAndCallsObserverForEveryStage()
    {
        var observer = new RecordingStageObserver();
        var runner = new ScheduleRunner(new ScheduleBuilder().Build(), observer);

        var report = await runner.RunFrameAsync(s_frame0);

        Assert.That(report.Systems, Is.Empty);
        Assert.That(observer.Completions, Has.Count.EqualTo(5));
    }
}
