using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace SimHost.Layout.Protocol;

/// <summary>
/// Worker to host, the first frame on a connection: who the worker is, the secret that proves the host started it,
/// and the component layout hashes it already knows.
/// </summary>
/// <remarks>
/// Body layout (little-endian): worker id u32, process id i32, protocol version u16, auth token 32 bytes,
/// layout hash count u16, then that many u64 hashes. See docs/protocol.md.
/// </remarks>
internal sealed record HelloMessage : ProtocolMessage
{
    private const int FixedBodyBytes = sizeof(uint) + sizeof(int) + sizeof(ushort) + AuthToken.SizeBytes + sizeof(ushort);

    /// <summary>Creates a Hello.</summary>
    /// <param name="workerId">The worker id the host gave this process on its command line.</param>
    /// <param name="processId">The worker's operating-system process id.</param>
    /// <param name="protocolVersion">The protocol version the worker speaks.</param>
    /// <param name="authToken">The secret the host gave this process.</param>
    /// <param name="knownLayoutHashes">Layout hashes the worker knows; at most <see cref="ProtocolConstants.MaxKnownLayoutHashes"/>.</param>
    /// <exception cref="ArgumentException">More hashes than the cap.</exception>
    public HelloMessage(
        uint workerId, int processId, ushort protocolVersion, AuthToken authToken, ImmutableArray<ulong> knownLayoutHashes)
    {
        knownLayoutHashes = knownLayoutHashes.IsDefault ? [] : knownLayoutHashes;
        if (knownLayoutHashes.Length > ProtocolConstants.MaxKnownLayoutHashes)
        {
            throw new ArgumentException(
                $"{knownLayoutHashes.Length} layout hashes; the protocol allows at most {ProtocolConstants.MaxKnownLayoutHashes}.",
                nameof(knownLayoutHashes));
        }

        WorkerId = workerId;
        ProcessId = processId;
        ProtocolVersion = protocolVersion;
        AuthToken = authToken;
        KnownLayoutHashes = knownLayoutHashes;
    }

    /// <inheritdoc/>
    public override MessageType Type => MessageType.Hello;

    /// <summary>The worker id the host gave this process on its command line.</summary>
    public uint WorkerId { get; }

    /// <summary>The worker's operating-system process id, so the host can match the connection to the child it spawned.</summary>
    public int ProcessId { get; }

    /// <summary>The protocol version the worker speaks.</summary>
    public ushort ProtocolVersion { get; }

    /// <summary>The secret the host gave this process; the host drops the connection when it does not match.</summary>
    public AuthToken AuthToken { get; }

    /// <summary>Hashes of the component layouts the worker already knows, so the host can refuse a mismatched build early.</summary>
    public ImmutableArray<ulong> KnownLayoutHashes { get; }

    internal override int BodySizeBytes => FixedBodyBytes + (KnownLayoutHashes.Length * sizeof(ulong));

    /// <summary>Value equality, comparing the layout hashes element by element.</summary>
    /// <param name="other">The message to compare with.</param>
    /// <returns>Whether every field is equal.</returns>
    public bool Equals(HelloMessage? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && base.Equals(other)
            && WorkerId == other.WorkerId
            && ProcessId == other.ProcessId
            && ProtocolVersion == other.ProtocolVersion
            && AuthToken == other.AuthToken
            && KnownLayoutHashes.AsSpan().SequenceEqual(other.KnownLayoutHashes.AsSpan()));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(WorkerId, ProcessId, ProtocolVersion, KnownLayoutHashes.Length);

    internal override void WriteBody(ref BodyWriter writer)
    {
        writer.WriteUInt32(WorkerId);
        writer.WriteInt32(ProcessId);
        writer.WriteUInt16(ProtocolVersion);
        writer.WriteAuthToken(AuthToken);
        writer.WriteUInt16((ushort)KnownLayoutHashes.Length);
        foreach (var hash in KnownLayoutHashes)
        {
            writer.WriteUInt64(hash);
        }
    }

    internal static HelloMessage ReadBody(ref BodyReader reader)
    {
        var workerId = reader.ReadUInt32("WorkerId");
        var processId = reader.ReadInt32("ProcessId");
        var protocolVersion = reader.ReadUInt16("ProtocolVersion");
        var authToken = new AuthToken(reader.ReadFixed(AuthToken.SizeBytes, "AuthToken"));
        var count = reader.ReadCount(ProtocolConstants.MaxKnownLayoutHashes, sizeof(ulong), "KnownLayoutHashes");
        var hashes = new ulong[count];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = reader.ReadUInt64("KnownLayoutHashes");
        }

        reader.EnsureEnd();
        return new HelloMessage(
            workerId, processId, protocolVersion, authToken, ImmutableCollectionsMarshal.AsImmutableArray(hashes));
    }
}
