namespace SimHost.Host.Offload;

/// <summary>A snapshot needs more shared memory than the limits allow; the message names the bytes and the flag to raise.</summary>
public sealed class SharedMemoryLimitException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public SharedMemoryLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    public SharedMemoryLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SharedMemoryLimitException()
        : base($"The snapshot does not fit the shared-memory limits; raise {SegmentLimits.MaxSharedMemoryFlag} or {SegmentLimits.SegmentSizeFlag} (from a program: WithSegmentLimits).")
    {
    }
}
