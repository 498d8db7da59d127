namespace SimHostNamespace;

/// <summary>
/// SplitMix64: a fixed, documented generator, so a seed gives the same world on every machine and .NET version,
/// unlike <see cref="Random"/>.
/// </summary>
internal struct SeedSequence(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A float uniformly in [0, 1): the top 24 bits, exactly representable.</summary>
    public float NextSingle()
    {
        var z = _state += 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return ((z ^ (z >> 31)) >> 40) * (1f / (1 << 24));
    }
}
