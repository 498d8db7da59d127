namespace SimHost.Layout.Protocol;

/// <summary>
/// Host to worker answer to <see cref="HelloMessage"/>: the settings the worker needs for this run.
/// </summary>
/// <remarks>
/// Body layout (little-endian): worker id u32, run id u64, job timeout u32 milliseconds (non-zero), log level u8.
/// See docs/protocol.md.
/// </remarks>
internal sealed record WelcomeMessage : ProtocolMessage
{
    private const int BodyBytes = sizeof(uint) + sizeof(ulong) + sizeof(uint) + sizeof(byte);

    /// <summary>Creates a Welcome.</summary>
    /// <param name="workerId">The worker id the host confirms for this connection.</param>
    /// <param name="runId">Identifies this host run, for correlating worker logs with the host's.</param>
    /// <param name="jobTimeout">How long a job may run; whole milliseconds from 1 ms to <see cref="uint.MaxValue"/> ms (sub-millisecond parts are dropped).</param>
    /// <param name="logLevel">The minimum level the worker logs at.</param>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is under 1 ms or too large, or the log level is undefined.</exception>
    public WelcomeMessage(uint workerId, ulong runId, TimeSpan jobTimeout, WorkerLogLevel logLevel)
    {
        // Truncating here keeps a message equal to its own decoded copy.
        var timeoutMs = Math.Floor(jobTimeout.TotalMilliseconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeoutMs, 1, nameof(jobTimeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeoutMs, uint.MaxValue, nameof(jobTimeout));
        if (!Enum.IsDefined(logLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(logLevel), logLevel, "Undefined worker log level.");
        }

        WorkerId = workerId;
        RunId = runId;
        JobTimeout = TimeSpan.FromMilliseconds(timeoutMs);
        LogLevel = logLevel;
    }

    /// <inheritdoc/>
    public override MessageType Type => MessageType.Welcome;

    /// <summary>The worker id the host confirms for this connection.</summary>
    public uint WorkerId { get; }

    /// <summary>Identifies this host run, for correlating worker logs with the host's.</summary>
    public ulong RunId { get; }

    /// <summary>How long a job may run before the host kills the worker; whole milliseconds.</summary>
    public TimeSpan JobTimeout { get; }

    /// <summary>The minimum level the worker logs at.</summary>
    public WorkerLogLevel LogLevel { get; }

    internal override int BodySizeBytes => BodyBytes;

    internal override void WriteBody(ref BodyWriter writer)
    {
        writer.WriteUInt32(WorkerId);
        writer.WriteUInt64(RunId);
        writer.WriteUInt32((uint)JobTimeout.TotalMilliseconds);
        writer.WriteByte((byte)LogLevel);
    }

    internal static WelcomeMessage ReadBody(ref BodyReader reader)
    {
        var workerId = reader.ReadUInt32("WorkerId");
        var runId = reader.ReadUInt64("RunId");
        var timeoutMs = reader.ReadUInt32("JobTimeoutMs");
        var logLevel = (WorkerLogLevel)reader.ReadByte("LogLevel");
        reader.EnsureEnd();
        BodyReader.Require(timeoutMs != 0, "Welcome.JobTimeoutMs is 0; a timeout must be at least 1 ms.");
        BodyReader.Require(Enum.IsDefined(logLevel), $"Welcome.LogLevel {(byte)logLevel} is not a defined level (0-5).");

        return new WelcomeMessage(workerId, runId, TimeSpan.FromMilliseconds(timeoutMs), logLevel);
    }
}
