namespace SimHost.Host.Workers;

/// <summary>A worker could not be started or was refused at handshake; the message says why in one line.</summary>
public sealed class WorkerStartException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public WorkerStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    public WorkerStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public WorkerStartException()
        : base("A worker process could not be started.")
    {
    }
}
