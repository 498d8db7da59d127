using System.Text.RegularExpressions;
using CsCheck;

namespace SimHost.Tests.SharedLayout;

/// <summary>The property-test sampler is deterministic and a failure it reports reproduces from its seed.</summary>
public sealed partial class SeededSamplingTests
{
    [Test]
    public void SameSeed_GivesTheSameValuesInTheSameOrder()
    {
        var first = new List<int>();
        var second = new List<int>();

        Gen.Int.SampleSeeded(first.Add, iterations: 50);
        Gen.Int.SampleSeeded(second.Add, iterations: 50);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(first, Has.Count.EqualTo(50), "one value per iteration");
        Assert.That(first.Distinct().Count(), Is.GreaterThan(40), "a fixed seed must still give varied values");
    }

    [Test]
    public void EachIteration_IsCsChecksValueForItsSeed()
    {
        var sampled = new List<int>();
        Gen.Int.SampleSeeded(sampled.Add, iterations: 5);

        var bySeed = SeededSampling.IterationSeeds().Take(5).Select(seed => Gen.Int.Generate(PCG.Parse(seed), null, out _)).ToList();

        Assert.That(sampled, Is.EqualTo(bySeed));
    }

    [Test]
    public void FalseProperty_FailsWithASeedThatReproducesTheFailure()
    {
        var exception = Assert.Throws<CsCheckException>(
            () => Gen.Int[0, 999].SampleSeeded(value => value < 500, iterations: 1000));

        var match = ReportedSeed().Match(exception!.Message);
        Assert.That(match.Success, Is.True, exception.Message);
        var reproduced = Gen.Int[0, 999].Generate(PCG.Parse(match.Groups[1].Value), null, out _);
        Assert.That(reproduced, Is.GreaterThanOrEqualTo(500), "the reported seed gives a failing value");
    }

    [GeneratedRegex("Set seed: \"([^\"]+)\"")]
    private static partial Regex ReportedSeed();
}
