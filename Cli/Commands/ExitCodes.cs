namespace SimHost.Host.Cli;

/// <summary>The process exit codes of <c>simhost</c>, as documented in the README.</summary>
internal static class ExitCodes
{
    /// <summary>The run completed.</summary>
    public const int Success = 0;

    /// <summary>The run started but failed (a system failed under <c>--on-worker-failure fail</c>, an I/O error, ...).</summary>
    public const int RunFailed = 1;

    /// <summary>
    /// The command line was wrong: a flag's value, an unknown flag, an unreadable job assembly, or a job assembly a
    /// worker cannot load (its dependencies are not beside it).
    /// </summary>
    public const int UsageError = 2;
}
