namespace SimHost.Tests.Jobs;

/// <summary>
/// The names of the crash-once jobs: each steps particles exactly like <c>physics.step</c>, except that the first time
/// a worker process runs a given (frame, first row) it scribbles over part of its range and then fails in its own way.
/// </summary>
public static class CrashOnceJobNames
{
    /// <summary>Scribbles over half its range, then throws (the worker survives and reports JobFailed).</summary>
    public const string Throw = "test.crash-once.throw";

    /// <summary>Scribbles over half its range, then ends the worker with Environment.FailFast.</summary>
    public const string FailFast = "test.crash-once.fail-fast";

    /// <summary>Scribbles over some rows, then writes through a null pointer in native code (SIGSEGV).</summary>
    public const string NativeCrash = "test.crash-once.native-crash";

    /// <summary>Scribbles over some rows, then spins until the host's job timeout kills the worker.</summary>
    public const string Spin = "test.crash-once.spin";

    /// <summary>
    /// The value written into Position.X of scribbled rows: far outside the scenario's box, so a committed scribble
    /// shows in the checksum even if a later step would not touch that row.
    /// </summary>
    public const float ScribbleValue = -12345f;

    /// <summary>The extension of the marker files a crash-once job creates, one per (frame, first row).</summary>
    public const string MarkerExtension = ".crashed";
}
