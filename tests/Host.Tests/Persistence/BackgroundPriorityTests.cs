using System.Globalization;
using SimHost.Host.Persistence;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// A checkpoint's writing runs on a thread of its own at the lowest CPU priority, so it gives way to the frames, and
/// its outcome reaches whoever waits for it as a pool task's would.
/// </summary>
public sealed class BackgroundPriorityTests
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Run_RunsTheWorkOnANamedThreadOfItsOwn_AtTheLowestPriority()
    {
        var callerNice = CurrentThreadNice();
        string? name = null;
        int? nice = null;
        var callerThread = Environment.CurrentManagedThreadId;
        var workThread = callerThread;

        var task = BackgroundPriority.Run("SimHost test writer", () =>
        {
            name = Thread.CurrentThread.Name;
            nice = CurrentThreadNice();
            workThread = Environment.CurrentManagedThreadId;
        });
        var callerNiceAfter = CurrentThreadNice();

        Assert.That(await Task.WhenAny(task, Task.Delay(s_hangGuard)), Is.SameAs(task), "the background work hung");
        await task;
        Assert.Multiple(() =>
        {
            Assert.That(name, Is.EqualTo("SimHost test writer"));
            Assert.That(workThread, Is.Not.EqualTo(callerThread));
            Assert.That(callerNiceAfter, Is.EqualTo(callerNice), "the caller's priority changed");
        });
        if (OperatingSystem.IsLinux())
        {
            Assert.That(nice, Is.EqualTo(19), "the work did not run at the lowest priority (nice 19)");
        }
    }

    [Test]
    public async Task WhatFollowsTheWork_RunsAtNormalPriority()
    {
        // A thread inherits the nice value of the thread that creates it, and the pool creates threads on whichever
        // thread queues work: the low thread must queue nothing, or pool threads would stay low for good.
        var normal = CurrentThreadNice();
        using var gate = new ManualResetEventSlim();
        var task = BackgroundPriority.Run("SimHost test writer", () => gate.Wait(s_hangGuard));

        // Registered before the work ends: the first runs on the thread that completes the task, the second is queued
        // to the pool from it.
        var inline = task.ContinueWith(static _ => CurrentThreadNice(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var queued = task.ContinueWith(static _ => CurrentThreadNice(), CancellationToken.None, TaskContinuationOptions.RunContinuationsAsynchronously, TaskScheduler.Default);
        gate.Set();
        var continuation = await queued.WaitAsync(s_hangGuard);
        var completer = await inline.WaitAsync(s_hangGuard);

        Assert.Multiple(() =>
        {
            Assert.That(continuation, Is.EqualTo(normal), "a continuation ran at the low priority");
            Assert.That(completer, Is.EqualTo(normal), "the task was completed on the low thread");
        });
    }

    [Test]
    public async Task Run_WorkThatThrows_FailsTheTaskWithItsException()
    {
        var task = BackgroundPriority.Run("SimHost test writer", () => throw new IOException("the disk is gone"));

        Assert.That(await Task.WhenAny(task, Task.Delay(s_hangGuard)), Is.SameAs(task), "the failing background work hung");
        var thrown = Assert.ThrowsAsync<IOException>(async () => await task);
        Assert.That(thrown!.Message, Is.EqualTo("the disk is gone"));
    }

    /// <summary>The calling thread's nice value, from <c>/proc/thread-self/stat</c> (field 19), or 0 off Linux.</summary>
    private static int CurrentThreadNice()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        // The command name (field 2) is in parentheses and may hold spaces: the fields after it are counted from ')'.
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], CultureInfo.InvariantCulture);
    }
}
