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

    /// <summary>Spins forever.</summary>
    public const string Spin = "test.spin";

    /// <summary>The message of the exception <see cref="Throw"/> throws.</summary>
    public const string ThrowMessage = "the test job failed on purpose";

    /// <summary>The value <see cref="MarkAll"/> writes into Position.Y.</summary>
    public const float MarkValue = 42f;
}
