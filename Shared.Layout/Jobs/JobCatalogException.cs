namespace SimHost.Layout.Jobs;

/// <summary>A job assembly that cannot be loaded, a job that cannot be created, or two jobs with one name.</summary>
public sealed class JobCatalogException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public JobCatalogException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    public JobCatalogException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public JobCatalogException()
        : base("The job catalog could not be built.")
    {
    }

    internal JobCatalogException(JobLoadFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>The failure as a code, path and detail, for a worker to report; null when thrown by user code.</summary>
    internal JobLoadFailure? Failure { get; }
}
