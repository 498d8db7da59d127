using CsCheck;

namespace SimHost.Tests;

/// <summary>
/// Runs a CsCheck generator from a fixed seed, one value at a time on the calling thread.
/// </summary>
/// <remarks>
/// CsCheck's own <c>Sample</c> draws a fresh random seed on every run and samples on several threads, so a
/// failure seen once in CI may never come back, and a property that touches shared state (a mailbox, a
/// counter) races with itself. Our tests must give the same answer on every run, so every property test
/// samples through here: the same values in the same order each time, and a failure names the iteration
/// and the value to reproduce it.
/// </remarks>
internal static class FixedSeedSampling
{
    /// <summary>The seed every property test uses unless it asks for another.</summary>
    public const ulong DefaultSeed = 0x5EED_0F_51A1_4057UL;

    /// <summary>Checks <paramref name="property"/> for <paramref name="iterations"/> generated values.</summary>
    public static void SampleFixed<T>(this Gen<T> gen, Func<T, bool> property, int iterations = 100, ulong seed = DefaultSeed) =>
        gen.SampleFixed(
            value =>
            {
                if (!property(value))
                {
                    throw new InvalidOperationException("the property returned false");
                }
            },
            iterations,
            seed);

    /// <summary>Runs <paramref name="assertion"/> for <paramref name="iterations"/> generated values.</summary>
    public static void SampleFixed<T>(this Gen<T> gen, Action<T> assertion, int iterations = 100, ulong seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(gen);
        ArgumentNullException.ThrowIfNull(assertion);
        var random = new PCG(0, seed);
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var value = gen.Generate(random, null, out _);
            try
            {
                assertion(value);
            }
            catch (Exception failure)
            {
                throw new AssertionException(
                    $"Property failed at iteration {iteration} of seed 0x{seed:X} for {Check.Print(value)}: {failure.Message}",
                    failure);
            }
        }
    }
}
