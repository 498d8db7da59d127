namespace SimHost.Layout.Protocol;

/// <summary>
/// Fixed numbers of the pipe protocol: version, frame geometry and the caps on every variable-length field.
/// </summary>
/// <remarks>See docs/protocol.md for the byte layout these constants describe.</remarks>
internal static class ProtocolConstants
{
    /// <summary>
    /// The protocol version written in every frame header and in <see cref="HelloMessage"/>. Version 2 added the tick
    /// count to JobStart, version 3 its live-columns mask, version 4 the JobCatalog message, version 5 the JobFailed
    /// reason code.
    /// </summary>
    public const ushort Version = 5;

    /// <summary>Size of the length field that starts every frame.</summary>
    public const int LengthFieldBytes = 4;

    /// <summary>Size of the fixed frame header: u32 length, u16 version, u16 type, u64 sequence number.</summary>
    public const int HeaderSizeBytes = 16;

    /// <summary>Largest whole frame (header included) a peer may send; larger length fields are rejected before any read.</summary>
    public const int MaxFrameBytes = 64 * 1024;

    /// <summary>Largest message body: <see cref="MaxFrameBytes"/> minus the header.</summary>
    public const int MaxBodyBytes = MaxFrameBytes - HeaderSizeBytes;

    /// <summary>Cap on the UTF-8 byte length of <see cref="Jobs.JobRange.JobName"/>.</summary>
    public const int MaxJobNameBytes = 256;

    /// <summary>Cap on the UTF-8 byte length of <see cref="Jobs.JobRange.SegmentPath"/>.</summary>
    public const int MaxSegmentPathBytes = 512;

    /// <summary>Cap on the byte length of <see cref="Jobs.JobRange.Parameters"/>.</summary>
    public const int MaxParameterBytes = 4 * 1024;

    /// <summary>
    /// Most ticks one JobStart may ask for. A worker runs them back to back without a round trip, so an unbounded
    /// count from a hostile frame would be a hang; the CLI's --ticks-per-frame stops at the same value.
    /// </summary>
    public const uint MaxTicks = 1024;

    /// <summary>Cap on the UTF-8 byte length of <see cref="JobFailedMessage.ErrorText"/>; longer text is truncated, not rejected.</summary>
    public const int MaxErrorTextBytes = 1024;

    /// <summary>Cap on the number of entries in <see cref="HelloMessage.KnownLayoutHashes"/>.</summary>
    public const int MaxKnownLayoutHashes = 256;

    /// <summary>Cap on the number of entries in <see cref="JobCatalogMessage.JobNames"/>.</summary>
    public const int MaxCatalogJobs = 192;

    /// <summary>Cap on the number of entries in <see cref="JobCatalogMessage.Failures"/>; a worker reports its first ones.</summary>
    public const int MaxCatalogFailures = 8;

    /// <summary>Cap on the UTF-8 byte length of a job assembly path in <see cref="JobCatalogMessage.Failures"/>; longer ones are truncated.</summary>
    public const int MaxAssemblyPathBytes = 512;
}
