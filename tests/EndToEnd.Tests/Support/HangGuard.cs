namespace SimHost.Tests.EndToEnd.Support;

/// <summary>Bounds every wait on a process or a pool, so a hang fails the test with the name of what hung.</summary>
internal static class HangGuard
{
    /// <summary>Generous: a loaded 2-core machine starts a .NET process in well under a second.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    public static async Task<T> Within<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Hung for {Limit}: {what}");
            throw;
        }
    }

    public static async Task Within(Task task, string what) =>
        await Within(task.ContinueWith(t => t.Exception is null, TaskScheduler.Default), what);
}
