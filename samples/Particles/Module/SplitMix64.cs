namespace SimHost.Physics;

/// <summary>
/// The SplitMix64 generator (Steele, Lea and Flood): a fixed, documented algorithm, so a seed gives the same
/// numbers on every machine and .NET version, unlike <see cref="Random"/>.
/// </summary>
public struct SplitMix64
{
    private ulong _state;

    /// <summary>Starts the sequence of <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var z = _state += 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A float uniformly in [0, 1): the top 24 bits, exactly representable.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>A float uniformly in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public float NextSingle(float min, float max) => min + ((max - min) * NextSingle());
}
