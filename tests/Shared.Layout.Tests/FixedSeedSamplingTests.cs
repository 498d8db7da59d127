using CsCheck;

namespace SimHost.Tests.SharedLayout;

/// <summary>The property-test sampler is deterministic and really reports a failing property.</summary>
public sealed class FixedSeedSamplingTests
{
    [Test]
    public void SameSeed_GivesTheSameValuesInTheSameOrder()
    {
        var first = new List<int>();
        var second = new List<int>();

        Gen.Int.SampleFixed(first.Add, iterations: 50);
        Gen.Int.SampleFixed(second.Add, iterations: 50);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(first.Distinct().Count(), Is.GreaterThan(40), "a fixed seed must still give varied values");
    }

    [Test]
    public void FalseProperty_FailsNamingTheIterationAndValue()
    {
        var exception = Assert.Throws<AssertionException>(
            () => Gen.Int[0, 9].SampleFixed(value => value != 7, iterations: 1000));

        Assert.That(exception!.Message, Does.Contain("iteration").And.Contain("for 7"));
    }
}
