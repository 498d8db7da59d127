namespace SimHost.Tests.Jobs;

/// <summary>The names of the test jobs, shared by the jobs and the tests that run them.</summary>
public static class TestJobNames
{
    /// <summary>Sets Position.Y to 42 on every row and marks every row changed.</summary>
    public const string MarkAll = "test.mark-all";

    /// <summary>Throws an InvalidOperationException.</summary>
    public const string Throw = "test.throw";

    /// <summary>Mutates the first half of its range, then calls Environment.FailFast.</summary>
    public const string FailFast = "test.fail-fast";

    /// <summary>Mutates some rows, then writes through a null pointer in native code (SIGSEGV).</summary>
    public const string NativeCrash = "test.native-crash";

    /// <summary>Takes down a worker (FailFast, exit or a hang); in the host only leaves a marker file.</summary>
    public const string WorkerOnlyFailure = "test.worker-only-failure";

    /// <summary>Spins forever.</summary>
    public const string Spin = "test.spin";

    /// <summary>Writes <see cref="ChattyChars"/> characters without a newline to standard output, then <see cref="ChattyDone"/>.</summary>
    public const string Chatty = "test.chatty";

    /// <summary>How many characters <see cref="Chatty"/> writes before its first newline (a multiple of 64 Ki).</summary>
    public const int ChattyChars = 16 * 1024 * 1024;

    /// <summary>The line <see cref="Chatty"/> writes last.</summary>
    public const string ChattyDone = "test.chatty is done";

    /// <summary>The message of the exception <see cref="Throw"/> throws.</summary>
    public const string ThrowMessage = "the test job failed on purpose";

    /// <summary>The value <see cref="MarkAll"/> writes into Position.Y.</summary>
    public const float MarkValue = 42f;
}
