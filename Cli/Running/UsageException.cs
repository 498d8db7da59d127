namespace SimHost.Host.Running;

/// <summary>
/// A problem the user fixes by changing the command line (an unwritable run directory, an unloadable job assembly,
/// a world that does not fit the shared-memory cap): printed as one line, exit code 2, no stack trace.
/// </summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates the exception with its one-line message, which names the flag and the fix.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public UsageException()
        : base("The command line cannot be run as given.")
    {
    }
}
