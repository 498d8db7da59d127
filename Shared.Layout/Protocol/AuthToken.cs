using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SimHost.Layout.Protocol;

/// <summary>
/// The 32-byte secret a worker presents in <see cref="HelloMessage"/> to prove the host started it.
/// </summary>
/// <remarks>
/// Equality runs in constant time so a rogue peer learns nothing from how fast a wrong token is refused, and
/// <see cref="ToString"/> never reveals the secret (it would otherwise leak into structured logs).
/// </remarks>
internal readonly struct AuthToken : IEquatable<AuthToken>
{
    /// <summary>Size of a token on the wire.</summary>
    public const int SizeBytes = 32;

    // Four little-endian words keep the struct blittable and small without an inline array.
    private readonly ulong _word0;
    private readonly ulong _word1;
    private readonly ulong _word2;
    private readonly ulong _word3;

    /// <summary>Creates a token from exactly <see cref="SizeBytes"/> bytes.</summary>
    /// <param name="bytes">The token bytes in wire order.</param>
    /// <exception cref="ArgumentException">The span is not <see cref="SizeBytes"/> long.</exception>
    public AuthToken(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != SizeBytes)
        {
            throw new ArgumentException($"An auth token is {SizeBytes} bytes, not {bytes.Length}.", nameof(bytes));
        }

        _word0 = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        _word1 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        _word2 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        _word3 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
    }

    /// <summary>Creates a fresh token from the operating system's cryptographic random source.</summary>
    /// <returns>A new random token.</returns>
    public static AuthToken CreateRandom()
    {
        Span<byte> bytes = stackalloc byte[SizeBytes];
        RandomNumberGenerator.Fill(bytes);
        return new AuthToken(bytes);
    }

    /// <summary>Parses the 64 hex digits produced by <see cref="ToHexString"/>, e.g. from a worker's command line.</summary>
    /// <param name="hex">The hex digits, either case.</param>
    /// <param name="token">The parsed token, or the all-zero token on failure.</param>
    /// <returns>Whether <paramref name="hex"/> held exactly 64 hex digits.</returns>
    public static bool TryParseHex(ReadOnlySpan<char> hex, out AuthToken token)
    {
        Span<byte> bytes = stackalloc byte[SizeBytes];
        if (hex.Length != SizeBytes * 2
            || Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != SizeBytes)
        {
            token = default;
            return false;
        }

        token = new AuthToken(bytes);
        return true;
    }

    /// <summary>Writes the token in wire order into the first <see cref="SizeBytes"/> bytes of <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="SizeBytes"/> bytes.</param>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination[..8], _word0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..16], _word1);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..24], _word2);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..32], _word3);
    }

    /// <summary>The 64 lowercase hex digits of the token, for handing it to a worker process; keep it out of logs.</summary>
    /// <returns>The token as hex.</returns>
    public string ToHexString()
    {
        Span<byte> bytes = stackalloc byte[SizeBytes];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Compares in constant time: every word is always examined.</summary>
    /// <param name="other">The token to compare with.</param>
    /// <returns>Whether both tokens hold the same bytes.</returns>
    public bool Equals(AuthToken other) =>
        ((_word0 ^ other._word0) | (_word1 ^ other._word1) | (_word2 ^ other._word2) | (_word3 ^ other._word3)) == 0;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AuthToken other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_word0, _word1, _word2, _word3);

    /// <summary>A redacted placeholder; use <see cref="ToHexString"/> when the secret itself is needed.</summary>
    /// <returns>The text <c>AuthToken(redacted)</c>.</returns>
    public override string ToString() => "AuthToken(redacted)";

    /// <summary>Constant-time equality.</summary>
    /// <param name="left">The first token.</param>
    /// <param name="right">The second token.</param>
    /// <returns>Whether both hold the same bytes.</returns>
    public static bool operator ==(AuthToken left, AuthToken right) => left.Equals(right);

    /// <summary>Constant-time inequality.</summary>
    /// <param name="left">The first token.</param>
    /// <param name="right">The second token.</param>
    /// <returns>Whether the tokens differ.</returns>
    public static bool operator !=(AuthToken left, AuthToken right) => !left.Equals(right);
}
