using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SimHost.Layout.Protocol;
using SimHost.Layout.Segments;

namespace SimHost.Layout.Signals;

/// <summary>
/// A per-worker fast signal path beside the pipe: a small shared file holding one request (an encoded JobStart
/// frame) and one reply (an encoded JobDone or JobFailed frame), each published by a sequence number on its own cache
/// line. The reader spins a bounded number of iterations, then sleeps on a futex until the writer wakes it.
/// </summary>
/// <remarks>
/// One request is outstanding at a time, so the writer of a body never overwrites it while the other side reads it.
/// Bodies are untrusted: the reader copies them out and decodes them with <see cref="FrameDecoder"/>, exactly as
/// from the pipe. Layout and memory ordering: docs/signals.md.
/// </remarks>
internal sealed partial class Mailbox : IDisposable
{
    private readonly MappedRegion _region;
    private readonly byte[] _scratch = new byte[MailboxLayout.RequestBodyBytes];

    private Mailbox(MappedRegion region, string path, uint workerId)
    {
        _region = region;
        Path = path;
        WorkerId = workerId;
    }

    /// <summary>The mailbox file.</summary>
    public string Path { get; }

    /// <summary>The worker this mailbox belongs to.</summary>
    public uint WorkerId { get; }

    /// <summary>The last published request sequence number (0: none yet).</summary>
    public ulong RequestSequence => Volatile.Read(ref Sequence(MailboxLayout.RequestLineOffset));

    /// <summary>The last published reply sequence number (0: none yet).</summary>
    public ulong ReplySequence => Volatile.Read(ref Sequence(MailboxLayout.ReplyLineOffset));

    /// <summary>Creates (replacing any old one) a zeroed mailbox file readable only by this user, and maps it.</summary>
    /// <param name="path">The file; normally in the run directory next to the worker's pipe.</param>
    /// <param name="workerId">The worker that will open it; checked on open.</param>
    /// <returns>The host's end of the mailbox.</returns>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public static Mailbox Create(string path, uint workerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.Delete(path);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        try
        {
            stream.SetLength(MailboxLayout.FileBytes);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        var region = MappedRegion.Map(stream, MailboxLayout.FileBytes);
        var header = region.Bytes(0, MailboxLayout.CacheLineBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(header[MailboxLayout.VersionOffset..], MailboxLayout.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[MailboxLayout.WorkerIdOffset..], workerId);
        BinaryPrimitives.WriteUInt32LittleEndian(header[MailboxLayout.SizeOffset..], MailboxLayout.FileBytes);

        // The magic last: a worker that opens a half-written file sees no magic and refuses it.
        Volatile.Write(ref MemoryMarshal.Cast<byte, ulong>(header)[0], MailboxLayout.Magic);
        return new Mailbox(region, path, workerId);
    }

    /// <summary>Maps an existing mailbox after checking its size, magic, version and worker id.</summary>
    /// <param name="path">The file the host created.</param>
    /// <param name="workerId">This worker's id.</param>
    /// <returns>The worker's end of the mailbox.</returns>
    /// <exception cref="MailboxFormatException">The file is not a mailbox for this worker and version.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static Mailbox Open(string path, uint workerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        if (stream.Length != MailboxLayout.FileBytes)
        {
            var length = stream.Length;
            stream.Dispose();
            throw new MailboxFormatException($"Mailbox {path} is {length} bytes; version {MailboxLayout.Version} needs {MailboxLayout.FileBytes}.");
        }

        var region = MappedRegion.Map(stream, MailboxLayout.FileBytes);
        var header = region.Bytes(0, MailboxLayout.CacheLineBytes);
        var magic = Volatile.Read(ref MemoryMarshal.Cast<byte, ulong>(header)[0]);
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[MailboxLayout.VersionOffset..]);
        var owner = BinaryPrimitives.ReadUInt32LittleEndian(header[MailboxLayout.WorkerIdOffset..]);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(header[MailboxLayout.SizeOffset..]);
        var reason = magic != MailboxLayout.Magic ? $"magic 0x{magic:x16} is not a mailbox's"
            : version != MailboxLayout.Version ? $"version {version} is not {MailboxLayout.Version}"
            : size != MailboxLayout.FileBytes ? $"size field {size} is not {MailboxLayout.FileBytes}"
            : owner != workerId ? $"it belongs to worker {owner}, not {workerId}"
            : null;
        if (reason is not null)
        {
            region.Dispose();
            throw new MailboxFormatException($"Mailbox {path} cannot be used: {reason}.");
        }

        return new Mailbox(region, path, workerId);
    }

    /// <summary>Host side: writes <paramref name="message"/> as the request body and publishes <paramref name="sequence"/>.</summary>
    /// <param name="message">The request (a JobStart).</param>
    /// <param name="sequence">The request's sequence number; also the frame's.</param>
    /// <exception cref="ArgumentException">The frame does not fit the request area.</exception>
    public void PostRequest(ProtocolMessage message, ulong sequence) =>
        Post(message, sequence, MailboxLayout.RequestBodyOffset, MailboxLayout.RequestBodyBytes, MailboxLayout.RequestLineOffset);

    /// <summary>Worker side: writes <paramref name="message"/> as the reply body and publishes <paramref name="sequence"/>.</summary>
    /// <param name="message">The reply (JobDone or JobFailed).</param>
    /// <param name="sequence">The sequence number of the request it answers.</param>
    /// <exception cref="ArgumentException">The frame does not fit the reply area.</exception>
    public void PostReply(ProtocolMessage message, ulong sequence) =>
        Post(message, sequence, MailboxLayout.ReplyBodyOffset, MailboxLayout.ReplyBodyBytes, MailboxLayout.ReplyLineOffset);

    /// <summary>
    /// Worker side: waits until the request sequence differs from <paramref name="lastSeen"/>: up to
    /// <paramref name="spinCount"/> spin iterations, then (for up to <paramref name="spinTime"/>) spinning that yields
    /// to other runnable threads, then futex sleeps until woken or <paramref name="timeout"/>.
    /// </summary>
    /// <returns>Whether a new request was published.</returns>
    public bool WaitForRequest(ulong lastSeen, int spinCount, TimeSpan timeout, TimeSpan spinTime = default) =>
        Wait(MailboxLayout.RequestLineOffset, lastSeen, untilEqual: false, spinCount, spinTime, timeout, default);

    /// <summary>
    /// Host side: waits until the reply sequence equals <paramref name="expected"/>: up to
    /// <paramref name="spinCount"/> spin iterations, then (for up to <paramref name="spinTime"/>) spinning that yields
    /// to other runnable threads, then (when <paramref name="timeout"/> is positive) futex sleeps until woken,
    /// interrupted by <see cref="InterruptReplyWait"/> or timed out.
    /// </summary>
    /// <returns>Whether the reply was published.</returns>
    /// <param name="expected">The reply sequence to wait for.</param>
    /// <param name="spinCount">Spin iterations before anything else.</param>
    /// <param name="timeout">The longest futex sleep after the spins; zero or less: no sleep.</param>
    /// <param name="spinTime">The longest yielding spin after the iterations.</param>
    /// <param name="stopSpinning">Ends the yielding spin early (the connection broke, the reply came another way).</param>
    public bool WaitForReply(ulong expected, int spinCount, TimeSpan timeout, TimeSpan spinTime = default, CancellationToken stopSpinning = default) =>
        Wait(MailboxLayout.ReplyLineOffset, expected, untilEqual: true, spinCount, spinTime, timeout, stopSpinning);

    /// <summary>Wakes a host thread sleeping in <see cref="WaitForReply"/> so it re-checks why it waits (a pipe reply, a break).</summary>
    public void InterruptReplyWait() => Interrupt(MailboxLayout.ReplyLineOffset);

    /// <summary>Wakes a worker thread sleeping in <see cref="WaitForRequest"/>.</summary>
    public void InterruptRequestWait() => Interrupt(MailboxLayout.RequestLineOffset);

    /// <summary>Copies the request body out and decodes it; the caller checks its sequence against <see cref="RequestSequence"/>.</summary>
    /// <exception cref="ProtocolException">The body is not exactly one valid frame.</exception>
    public Frame ReadRequest() => Read(MailboxLayout.RequestBodyOffset, MailboxLayout.RequestBodyBytes);

    /// <summary>Copies the reply body out and decodes it; the caller checks its sequence and type.</summary>
    /// <exception cref="ProtocolException">The body is not exactly one valid frame.</exception>
    public Frame ReadReply() => Read(MailboxLayout.ReplyBodyOffset, MailboxLayout.ReplyBodyBytes);

    /// <summary>Unmaps the file (the file itself stays; its creator removes it).</summary>
    public void Dispose() => _region.Dispose();

    private void Post(ProtocolMessage message, ulong sequence, int bodyOffset, int bodyBytes, int lineOffset)
    {
        ArgumentNullException.ThrowIfNull(message);
        var area = _region.Bytes(bodyOffset, bodyBytes);
        var length = FrameEncoder.Encode(message, sequence, area[MailboxLayout.LengthPrefixBytes..]);
        BinaryPrimitives.WriteUInt32LittleEndian(area, (uint)length);

        // Release by a full barrier: the body is visible before the sequence, and the sequence store is ordered
        // before the sleeping-flag load below (Dekker with the reader's flag store, then sequence re-check).
        Interlocked.Exchange(ref Sequence(lineOffset), sequence);
        ref var futex = ref Word(lineOffset + MailboxLayout.FutexInLine);
        Interlocked.Increment(ref futex);
        if (Volatile.Read(ref Word(lineOffset + MailboxLayout.SleepingInLine)) != 0)
        {
            // Only a sleeping reader costs the syscall; a spinning one sees the sequence by itself.
            Futex.WakeAll(ref futex);
        }
    }

    private void Interrupt(int lineOffset)
    {
        ref var futex = ref Word(lineOffset + MailboxLayout.FutexInLine);
        Interlocked.Increment(ref futex);
        if (Futex.IsSupported)
        {
            Futex.WakeAll(ref futex);
        }
    }

    private Frame Read(int bodyOffset, int bodyBytes)
    {
        var area = _region.Bytes(bodyOffset, bodyBytes);

        // Read the length once and copy: the other side may be hostile and change the bytes while they are decoded.
        var length = BinaryPrimitives.ReadUInt32LittleEndian(area);
        if (length > bodyBytes - MailboxLayout.LengthPrefixBytes)
        {
            throw new ProtocolException(ProtocolError.FrameTooLarge, $"Mailbox frame length {length} exceeds the {bodyBytes - MailboxLayout.LengthPrefixBytes}-byte area.");
        }

        var copy = _scratch.AsSpan(0, (int)length);
        area.Slice(MailboxLayout.LengthPrefixBytes, (int)length).CopyTo(copy);
        return FrameDecoder.Decode(copy);
    }

    private ref ulong Sequence(int lineOffset) => ref _region.Elements<ulong>(lineOffset + MailboxLayout.SequenceInLine, 1)[0];

    private ref uint Word(int offset) => ref _region.Elements<uint>(offset, 1)[0];
}
