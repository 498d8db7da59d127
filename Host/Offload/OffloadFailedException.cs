namespace SimHost.Host.Offload;

/// <summary>
/// Some ranges of an offloaded system failed on every retry and fallback the failure policy allows; their rows kept their
/// previous values. The system is reported failed for the frame.
/// </summary>
public sealed class OffloadFailedException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public OffloadFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    public OffloadFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The job whose ranges failed because it is kept out of the host (it crashed or hung a worker, so it runs on
    /// workers only), or null when the ranges failed for any other reason: a run stops once no worker is left to run it.
    /// </summary>
    internal string? JobKeptOutOfHost { get; init; }

    /// <summary>Creates the exception with a generic message.</summary>
    public OffloadFailedException()
        : base("An offloaded job failed on every retry and fallback the failure policy allows.")
    {
    }
}
