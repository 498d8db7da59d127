namespace SimHost.Host.Offload;

/// <summary>
/// A job the simulation offloads cannot run where its executor runs ranges (a worker could not load it): thrown by
/// <see cref="IRangeExecutor.EnsureJobsAvailable"/> when the simulation is built, instead of failing every range of
/// every frame. The message names the job, the worker, the worker's reason and the fix, on one line.
/// </summary>
public sealed class JobUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="jobName"/> on worker <paramref name="workerId"/>.</summary>
    /// <param name="jobName">The job that cannot run.</param>
    /// <param name="workerId">The worker that cannot run it.</param>
    /// <param name="message">One line: the job, the worker, the reason and the fix.</param>
    public JobUnavailableException(string jobName, int workerId, string message)
        : base(message)
    {
        JobName = jobName;
        WorkerId = workerId;
    }

    /// <summary>Creates the exception with its one-line message.</summary>
    public JobUnavailableException(string message)
        : base(message)
    {
        JobName = string.Empty;
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    public JobUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        JobName = string.Empty;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public JobUnavailableException()
        : base("A job cannot run where its ranges would run.")
    {
        JobName = string.Empty;
    }

    /// <summary>The job that cannot run; empty when not known.</summary>
    public string JobName { get; }

    /// <summary>The worker that cannot run it.</summary>
    public int WorkerId { get; }
}
