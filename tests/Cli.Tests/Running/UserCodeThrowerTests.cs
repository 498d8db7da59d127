using SimHost.Host.Running;

namespace SimHost.Tests.Host.Running;

/// <summary>A run ended by the user's code says whose code threw; SimHost's and .NET's own frames are skipped.</summary>
public sealed class UserCodeThrowerTests
{
    [Test]
    public void AnExceptionFromUserCode_NamesItsTypeAndTheMethodThatThrewIt()
    {
        var exception = Catch(SeedThatThrows);

        Assert.That(UserCodeThrower.Describe(exception), Is.EqualTo($" (InvalidOperationException thrown in {typeof(UserCodeThrowerTests).FullName}.{nameof(SeedThatThrows)})"));
    }

    [Test]
    public void AnExceptionFromDotNet_CalledByUserCode_NamesTheUserMethodThatCalledIt()
    {
        var exception = Catch(SeedThatParses);

        Assert.That(UserCodeThrower.Describe(exception), Is.EqualTo($" (FormatException thrown in {typeof(UserCodeThrowerTests).FullName}.{nameof(SeedThatParses)})"));
    }

    [Test]
    public void AnExceptionWithNoUserFrame_AddsNothing() =>
        Assert.That(UserCodeThrower.Describe(new InvalidOperationException("never thrown")), Is.Empty);

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
