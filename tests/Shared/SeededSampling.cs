using CsCheck;
using NUnit.Framework.Internal;

namespace SimHost.Tests;

/// <summary>
/// CsCheck's own <c>Sample</c>, made deterministic: every property test samples through here, so it checks the same
/// values in the same order on every run, one at a time on the calling thread, and a failure is shrunk by CsCheck and
/// reported with CsCheck's seed that reproduces it.
/// </summary>
/// <remarks>
/// <para>
/// Why a wrapper at all (CsCheck 4.9.1): <c>Sample(seed: s)</c> fixes only the first iteration. Every later
/// iteration, and the shrinking after a failure, draws from <c>PCG.ThreadPCG</c>, which CsCheck seeds from
/// <c>Stopwatch.GetTimestamp()</c> and offers no way to set (nor does <c>CsCheck_Seed</c>, which is the same
/// first-iteration seed); without <c>threads: 1</c> the iterations also run on several threads at once, so a property
/// that touches shared state (a mailbox, a counter) would race with itself.
/// </para>
/// <para>
/// So each iteration is one CsCheck run of exactly one seeded value: iteration i samples
/// <c>gen.Sample(assertion, seed: s_i, iter: 1, threads: 1)</c>, the seeds s_i coming from one PCG started at the
/// property's seed (<see cref="DefaultSeed"/> unless it names one). A failing seed is then handed back to CsCheck with <see cref="ShrinkIterations"/>
/// iterations: it fails again at once (same seed, same value) and CsCheck searches for a smaller failing value as it
/// always does. That search is random (the only part that is), but whatever it finds is reported as a seed:
/// <c>Set seed: "…" or -e CsCheck_Seed=… to reproduce</c>. Setting <c>CsCheck_Seed</c> makes every property here run
/// that one seed alone (run the failing test with a filter), which gives the reported value again.
/// </para>
/// </remarks>
internal static class SeededSampling
{
    /// <summary>The seed every property test uses unless it asks for another.</summary>
    public const ulong DefaultSeed = 0x5EED_0F_51A1_4057UL;

    /// <summary>How many values CsCheck tries when shrinking a failure (only ever run after one).</summary>
    public const long ShrinkIterations = 1_000;

    /// <summary>Checks <paramref name="property"/> for <paramref name="iterations"/> generated values.</summary>
    /// <exception cref="CsCheckException">The property is false for a value; the message names the seed.</exception>
    public static void SampleSeeded<T>(this Gen<T> gen, Func<T, bool> property, int iterations = 100, ulong seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(gen);
        ArgumentNullException.ThrowIfNull(property);
        Run(iterations, seed, (iterationSeed, iter) => gen.Sample(value => Isolated(property, value), seed: iterationSeed, iter: iter, threads: 1));
    }

    /// <summary>Runs <paramref name="assertion"/> for <paramref name="iterations"/> generated values.</summary>
    /// <exception cref="CsCheckException">The assertion throws for a value; the message names the seed.</exception>
    public static void SampleSeeded<T>(this Gen<T> gen, Action<T> assertion, int iterations = 100, ulong seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(gen);
        ArgumentNullException.ThrowIfNull(assertion);
        Run(iterations, seed, (iterationSeed, iter) => gen.Sample(value => Isolated(assertion, value), seed: iterationSeed, iter: iter, threads: 1));
    }

    /// <summary>The seed of iteration 0, 1, 2... of a property sampled from <paramref name="seed"/>, in CsCheck's form.</summary>
    public static IEnumerable<string> IterationSeeds(ulong seed = DefaultSeed)
    {
        var seeds = new PCG(0, seed);
        while (true)
        {
            yield return new PCG(0, seeds.Next64()).ToString();
        }
    }

    private static void Run(int iterations, ulong seed, Action<string, long> sample)
    {
        if (Check.Seed is { } reproduce)
        {
            // CsCheck_Seed is set: the one value it names, as CsCheck itself would start with it.
            sample(reproduce, 1);
            return;
        }

        foreach (var iterationSeed in IterationSeeds(seed).Take(iterations))
        {
            try
            {
                sample(iterationSeed, 1);
            }
            catch (CsCheckException)
            {
                // Throws again, shrunk, naming the smallest failing seed CsCheck found.
                sample(iterationSeed, ShrinkIterations);

                // The same seed passed this time: the property itself is not deterministic; report the first failure.
                throw;
            }
        }
    }

    /// <summary>
    /// NUnit records a failed <c>Assert.That</c> in the test's result even when the exception is caught, so every value
    /// CsCheck tried while shrinking would be listed as a failure of its own. As <c>Assert.Throws</c> does, each value's
    /// assertions run in an isolated context: the test fails with CsCheck's one report (seed, value, assertion message).
    /// </summary>
    private static void Isolated<T>(Action<T> assertion, T value)
    {
        using (new TestExecutionContext.IsolatedContext())
        {
            assertion(value);
        }
    }

    private static bool Isolated<T>(Func<T, bool> property, T value)
    {
        using (new TestExecutionContext.IsolatedContext())
        {
            return property(value);
        }
    }
}
