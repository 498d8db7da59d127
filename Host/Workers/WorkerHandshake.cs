using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>What the host requires of one worker's Hello: the token, protocol version, worker id, pid and layouts.</summary>
/// <param name="WorkerId">The id given on the worker's command line.</param>
/// <param name="ProcessId">The pid of the child the host started, or null to accept any.</param>
/// <param name="Token">The secret the host gave the worker on stdin.</param>
/// <param name="LayoutHashes">The host catalog's component layout hashes; the worker must know exactly these.</param>
internal sealed record WorkerHandshake(uint WorkerId, int? ProcessId, AuthToken Token, IReadOnlySet<ulong> LayoutHashes)
{
    /// <summary>Checks the first frame of a connection; null when it is an acceptable Hello (its layouts are checked with <see cref="CheckCatalog"/>).</summary>
    public HandshakeRefusal? Check(Frame frame)
    {
        if (frame.Message is not HelloMessage hello)
        {
            return new HandshakeRefusal(true, $"the first frame is {frame.Type}, not Hello");
        }

        // The token first: until it matches, nothing else the peer claims can be trusted.
        if (hello.AuthToken != Token)
        {
            return new HandshakeRefusal(true, $"wrong auth token (claims worker {hello.WorkerId}, pid {hello.ProcessId})");
        }

        if (frame.Sequence != 0)
        {
            return new HandshakeRefusal(false, $"Hello has sequence number {frame.Sequence}, expected 0");
        }

        if (hello.ProtocolVersion != ProtocolConstants.Version)
        {
            return new HandshakeRefusal(false, $"protocol version {hello.ProtocolVersion}, the host speaks {ProtocolConstants.Version}");
        }

        if (hello.WorkerId != WorkerId)
        {
            return new HandshakeRefusal(false, $"worker id {hello.WorkerId}, expected {WorkerId}");
        }

        if (ProcessId is { } pid && hello.ProcessId != pid)
        {
            return new HandshakeRefusal(false, $"process id {hello.ProcessId}, expected {pid}");
        }

        return null;
    }

    /// <summary>
    /// Checks the second frame, the worker's JobCatalog, against its accepted Hello; null when acceptable. Layouts the
    /// worker lacks are accepted when it reports load failures (the jobs that declare them are missing, and
    /// <see cref="Offload.IRangeExecutor.EnsureJobsAvailable"/> names them); a layout the host does not know never is.
    /// </summary>
    public HandshakeRefusal? CheckCatalog(HelloMessage hello, Frame frame)
    {
        if (frame.Message is not JobCatalogMessage catalog)
        {
            return new HandshakeRefusal(false, $"the frame after Hello is {frame.Type}, not JobCatalog");
        }

        if (frame.Sequence != 0)
        {
            return new HandshakeRefusal(false, $"JobCatalog has sequence number {frame.Sequence}, expected 0");
        }

        return CheckLayouts(hello, catalog.Failures.Length > 0);
    }

    private HandshakeRefusal? CheckLayouts(HelloMessage hello, bool hasLoadFailures)
    {
        var unknown = new List<string>();
        var workerHashes = new HashSet<ulong>();
        foreach (var hash in hello.KnownLayoutHashes)
        {
            workerHashes.Add(hash);
            if (!LayoutHashes.Contains(hash))
            {
                unknown.Add($"0x{hash:x16}");
            }
        }

        var missing = new List<string>();
        foreach (var hash in LayoutHashes)
        {
            if (!workerHashes.Contains(hash))
            {
                missing.Add($"0x{hash:x16}");
            }
        }

        return unknown.Count == 0 && (missing.Count == 0 || hasLoadFailures)
            ? null
            : new HandshakeRefusal(
                false,
                $"component layout mismatch: the worker lacks [{string.Join(", ", missing)}] and has unknown [{string.Join(", ", unknown)}]; host and worker were built from different component definitions");
    }
}
