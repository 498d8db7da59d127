namespace SimHost.Host.Workers;

/// <summary>How the host hands a job to a worker and hears its reply (docs/signals.md).</summary>
internal enum SignalPath
{
    /// <summary>JobStart and its reply travel over the worker's pipe, like every other message.</summary>
    Pipe = 0,

    /// <summary>
    /// JobStart and its reply travel through a shared-memory mailbox with a bounded spin and a futex wait; the pipe
    /// stays the control channel. Needs Linux on x64 or arm64; elsewhere the pool uses the pipe.
    /// </summary>
    Mailbox = 1,
}
