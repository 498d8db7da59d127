using SimHost.Host.Running;

namespace SimHost.Tests.Host.Running;

/// <summary>A run ended by the user's code says whose code threw; SimHost's and .NET's own frames are skipped.</summary>
public sealed class UserCodeThrowerTests
{
    [Test]
    public void AnExceptionFromUserCode_NamesItsTypeAndTheMethodThatThrewIt()
    {
        var exception = Catch(SeedThatThrows);

        Assert.That(UserCodeThrower.Describe(exception, new EmptyTestModule()), Is.EqualTo($" (InvalidOperationException thrown in {typeof(UserCodeThrowerTests).FullName}.{nameof(SeedThatThrows)})"));
    }

    [Test]
    public void AnExceptionFromDotNet_CalledByUserCode_NamesTheUserMethodThatCalledIt()
    {
        var exception = Catch(SeedThatParses);

        Assert.That(UserCodeThrower.Describe(exception, new EmptyTestModule()), Is.EqualTo($" (FormatException thrown in {typeof(UserCodeThrowerTests).FullName}.{nameof(SeedThatParses)})"));
    }

    [Test]
    public void AnExceptionWithNoFrameOfTheModule_AddsNothing()
    {
        Assert.Multiple(() =>
        {
            Assert.That(UserCodeThrower.Describe(new InvalidOperationException("never thrown"), new EmptyTestModule()), Is.Empty);
            Assert.That(UserCodeThrower.Describe(Catch(SeedThatThrows), new SimHost.Physics.ParticlesModule()), Is.Empty, "not the module's code");
            Assert.That(UserCodeThrower.Describe(Catch(SeedThatThrows), module: null), Is.Empty, "no --module");
        });
    }

    private static void SeedThatThrows() => throw new InvalidOperationException("seed blew up");

    private static void SeedThatParses() => _ = int.Parse("herd", System.Globalization.CultureInfo.InvariantCulture);

    private static Exception Catch(Action action)
    {
        try
        {
            action();
        }
        catch (Exception exception)
        {
            return exception;
        }

        throw new AssertionException("nothing was thrown");
    }
}
