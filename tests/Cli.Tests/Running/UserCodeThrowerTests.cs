using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Running;
using SimHost.Host.Simulation;

namespace SimHost.Tests.Host.Running;

/// <summary>A run ended by the user's code says whose code threw; SimHost's and .NET's own frames are skipped.</summary>
public sealed class UserCodeThrowerTests
{
    [Test]
    public void AnExceptionFromUserCode_NamesItsTypeAndTheMethodThatThrewIt()
    {
        var exception = Catch(SeedThatThrows);

        Assert.That(UserCodeThrower.Describe(exception, new ThisAssemblysModule()), Is.EqualTo($" (InvalidOperationException thrown in {typeof(UserCodeThrowerTests).FullName}.{nameof(SeedThatThrows)})"));
    }

    [Test]
    public void AnExceptionFromDotNet_CalledByUserCode_NamesTheUserMethodThatCalledIt()
    {
        var exception = Catch(SeedThatParses);

        Assert.That(UserCodeThrower.Describe(exception, new ThisAssemblysModule()), Is.EqualTo($" (FormatException thrown in {typeof(UserCodeThrowerTests).FullName}.{nameof(SeedThatParses)})"));
    }

    [Test]
    public void AnExceptionWithNoFrameOfTheModule_AddsNothing()
    {
        Assert.Multiple(() =>
        {
            Assert.That(UserCodeThrower.Describe(new InvalidOperationException("never thrown"), new ThisAssemblysModule()), Is.Empty);
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

    /// <summary>A module whose own assembly is this test assembly.</summary>
    private sealed class ThisAssemblysModule : SimulationModule
    {
        public override string Name => "this";

        public override IReadOnlyList<System.Reflection.Assembly> JobAssemblies => [];

        public override IReadOnlyList<ComponentType> ChecksumComponents => [];

        public override void Seed(World world, ModuleContext context)
        {
        }

        public override void AddSystems(SimulationBuilder builder, ModuleContext context)
        {
        }
    }
}
