namespace SimHost.Layout.Protocol;

/// <summary>
/// The kind of a protocol message, carried as a little-endian u16 in every frame header.
/// </summary>
/// <remarks>Values are part of the wire format: never renumber, only append.</remarks>
internal enum MessageType : ushort
{
    /// <summary>Worker to host, first frame on a connection: identity, authentication and known layouts.</summary>
    Hello = 1,

    /// <summary>Host to worker, answer to <see cref="Hello"/>: run settings the worker needs.</summary>
    Welcome = 2,

    /// <summary>Host to worker: run a job over a row range of a segment.</summary>
    JobStart = 3,

    /// <summary>Worker to host: the job of the outstanding sequence number finished.</summary>
    JobDone = 4,

    /// <summary>Worker to host: the job of the outstanding sequence number threw.</summary>
    JobFailed = 5,

    /// <summary>Host to worker: liveness probe.</summary>
    Ping = 6,

    /// <summary>Worker to host: answer to <see cref="Ping"/>.</summary>
    Pong = 7,

    /// <summary>Host to worker: finish and exit; no answer is sent.</summary>
    Shutdown = 8,

    /// <summary>Worker to host, after <see cref="Hello"/> and before <see cref="Welcome"/>: the jobs it loaded and what failed to load.</summary>
    JobCatalog = 9,
}
