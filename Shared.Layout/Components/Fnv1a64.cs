using System.Text;

namespace SimHost.Layout.Components;

/// <summary>
/// FNV-1a 64-bit hash, written out so the layout hash is identical in every process, run and runtime version
/// (unlike <see cref="string.GetHashCode()"/>, which is randomised per process).
/// </summary>
internal struct Fnv1a64
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    private ulong _state;

    /// <summary>Creates a hash in its initial state.</summary>
    public Fnv1a64() => _state = OffsetBasis;

    /// <summary>Gets the hash of everything appended so far.</summary>
    public readonly ulong Value => _state;

    /// <summary>Mixes in one byte.</summary>
    public void Append(byte value)
    {
        _state ^= value;
        _state *= Prime;
    }

    /// <summary>Mixes in a 32-bit integer, little-endian, whatever the machine's byte order.</summary>
    public void Append(int value)
    {
        for (int shift = 0; shift < 32; shift += 8)
        {
            Append((byte)(value >> shift));
        }
    }

    /// <summary>Mixes in a string as its UTF-8 byte count followed by the bytes, so adjacent strings cannot run together.</summary>
    public void Append(string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        Append(utf8.Length);
        foreach (byte b in utf8)
        {
            Append(b);
        }
    }
}
