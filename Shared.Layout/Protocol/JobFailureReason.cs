namespace SimHost.Layout.Protocol;

/// <summary>
/// Why a worker answered JobFailed, as a code on the wire (u8; docs/protocol.md): the host decides by the code, never by
/// the text, whether the job failed (re-run the range) or the worker can no longer be trusted (kill it, then re-run).
/// </summary>
internal enum JobFailureReason : byte
{
    /// <summary>The job threw; the worker is fine.</summary>
    JobThrew = 1,

    /// <summary>The worker has no job of that name.</summary>
    UnknownJob = 2,

    /// <summary>The row range is beyond the largest segment a worker maps.</summary>
    RowRangeTooLarge = 3,

    /// <summary>
    /// The worker's validating reader refused the segment (a tampered or foreign header, version, size or layout hash):
    /// its view of shared memory cannot be trusted, so the host treats it as a failure of the worker.
    /// </summary>
    SegmentRejected = 4,
}
