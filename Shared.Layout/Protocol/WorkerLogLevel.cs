namespace SimHost.Layout.Protocol;

/// <summary>
/// The minimum log level the host asks a worker to log at, sent in <see cref="WelcomeMessage"/> as one byte.
/// </summary>
/// <remarks>The values follow Serilog's LogEventLevel order, without making Shared.Layout depend on Serilog.</remarks>
internal enum WorkerLogLevel : byte
{
    /// <summary>Everything, including per-job tracing.</summary>
    Verbose = 0,

    /// <summary>Internal events useful when debugging.</summary>
    Debug = 1,

    /// <summary>Normal operation: connects, remaps, shutdowns.</summary>
    Information = 2,

    /// <summary>Unexpected but recovered conditions.</summary>
    Warning = 3,

    /// <summary>Failed jobs and broken frames.</summary>
    Error = 4,

    /// <summary>Only the events that end the worker.</summary>
    Fatal = 5,
}
