namespace SimHost.Layout.Signals;

/// <summary>
/// Byte offsets of a mailbox file (docs/signals.md). Each sequence line sits on its own 64-byte cache line so the
/// side that spins on one never shares a line with the side writing the other.
/// </summary>
internal static class MailboxLayout
{
    /// <summary>"SHMAILBX" little-endian.</summary>
    public const ulong Magic = 0x5842_4C49_414D_4853;

    public const uint Version = 1;

    public const int CacheLineBytes = 64;

    public const int MagicOffset = 0;
    public const int VersionOffset = 8;
    public const int WorkerIdOffset = 12;
    public const int SizeOffset = 16;

    /// <summary>Request line: sequence (u64), futex word (u32), sleeping flag of the worker (u32).</summary>
    public const int RequestLineOffset = CacheLineBytes;

    /// <summary>Reply line: sequence (u64), futex word (u32), sleeping flag of the host (u32).</summary>
    public const int ReplyLineOffset = 2 * CacheLineBytes;

    public const int SequenceInLine = 0;
    public const int FutexInLine = 8;
    public const int SleepingInLine = 12;

    /// <summary>Request body: frame length (u32) then the encoded JobStart frame.</summary>
    public const int RequestBodyOffset = 4 * CacheLineBytes;

    /// <summary>Room for the largest JobStart: name, path and parameters at their caps plus the fixed fields.</summary>
    public const int RequestBodyBytes = 16 * 1024;

    /// <summary>Reply body: frame length (u32) then the encoded JobDone or JobFailed frame.</summary>
    public const int ReplyBodyOffset = RequestBodyOffset + RequestBodyBytes;

    /// <summary>Room for the largest JobFailed (error text at its cap).</summary>
    public const int ReplyBodyBytes = 4 * 1024;

    public const int FileBytes = ReplyBodyOffset + ReplyBodyBytes;

    public const int LengthPrefixBytes = 4;
}
