using SimHost.Host.Modules;

namespace SimHost.Tests.Samples.Modules;

public sealed class ModuleParametersTests
{
    private static readonly HerdTestModule s_module = new();

    [Test]
    public void Defaults_AreTheDeclaredDefaults()
    {
        var parameters = ModuleParameters.Defaults(s_module);

        Assert.Multiple(() =>
        {
            Assert.That(parameters.GetInt32("herd"), Is.EqualTo(50_000));
            Assert.That(parameters.GetDouble("growth"), Is.EqualTo(0.5));
            Assert.That(parameters.GetBoolean("calving"), Is.True);
        });
    }

    [Test]
    public void Assignments_OverrideTheDefaultsOfTheParametersTheyName()
    {
        var parameters = ModuleParameters.Parse(s_module, ["herd=1200", "growth=2.25", "calving=false"]);

        Assert.Multiple(() =>
        {
            Assert.That(parameters.GetInt64("herd"), Is.EqualTo(1200));
            Assert.That(parameters.GetDouble("growth"), Is.EqualTo(2.25));
            Assert.That(parameters.GetBoolean("calving"), Is.False);
        });
    }

    [Test]
    public void AFloatDefault_IsTheNumberAsWritten_SoTheSameNumberTypedIsTheSameValue()
    {
        // The particles declare gravity from their float constant -9.81f.
        var particles = new SimHost.Physics.ParticlesModule();
        var gravity = particles.Parameters.Single(p => p.Name == "gravity");

        Assert.Multiple(() =>
        {
            Assert.That(gravity.DefaultValue, Is.EqualTo(-9.81));
            Assert.That(gravity.ToString(), Does.StartWith("gravity (number, default -9.81)"));
            Assert.That(ModuleParameters.Parse(particles, ["gravity=-9.81"]).GetDouble("gravity"), Is.EqualTo(ModuleParameters.Defaults(particles).GetDouble("gravity")));
            Assert.That(ModuleParameter.Number("exact", 0.1, 0, 1, "a double default").DefaultValue, Is.EqualTo(0.1), "a double default is kept");
            Assert.That(ModuleParameter.Number("floor", 0.1f, 0.1f, 1f, "a float default on its float bound").DefaultValue, Is.EqualTo(0.1), "bounds are taken as written too");
        });
    }

    [Test]
    public void Bounds_AreIncluded() =>
        Assert.That(ModuleParameters.Parse(s_module, ["herd=10000000", "growth=0"]).GetInt32("herd"), Is.EqualTo(10_000_000));

    // From a program there is no --param flag: the message names the parameter, what it accepts and the call.
    [TestCase("hrd=5", "ModuleParameters.Parse: module 'herd-test' has no parameter 'hrd'; it has: herd (whole number, default 50000), growth (number, default 0.5), calving (true/false, default true)")]
    [TestCase("herd=abc", "ModuleParameters.Parse: parameter 'herd' is a whole number from 1 to 10000000, not 'abc'")]
    [TestCase("herd=0", "ModuleParameters.Parse: parameter 'herd' is a whole number from 1 to 10000000, not '0'")]
    [TestCase("herd=10000001", "ModuleParameters.Parse: parameter 'herd' is a whole number from 1 to 10000000, not '10000001'")]
    [TestCase("herd=1.5", "ModuleParameters.Parse: parameter 'herd' is a whole number from 1 to 10000000, not '1.5'")]
    [TestCase("herd=", "ModuleParameters.Parse: parameter 'herd' is a whole number from 1 to 10000000, not ''")]
    [TestCase("growth=fast", "ModuleParameters.Parse: parameter 'growth' is a number from 0 to 10, not 'fast'")]
    [TestCase("growth=NaN", "ModuleParameters.Parse: parameter 'growth' is a number from 0 to 10, not 'NaN'")]
    [TestCase("growth=-0.1", "ModuleParameters.Parse: parameter 'growth' is a number from 0 to 10, not '-0.1'")]
    [TestCase("calving=yes", "ModuleParameters.Parse: parameter 'calving' is true or false, not 'yes'")]
    [TestCase("herd", "ModuleParameters.Parse: parameter assignment 'herd' is not NAME=VALUE; write e.g. \"herd=50000\"")]
    [TestCase("=5", "ModuleParameters.Parse: parameter assignment '=5' is not NAME=VALUE; write e.g. \"herd=50000\"")]
    public void AnInvalidAssignment_IsOneLineNamingTheParameterWhatItAcceptsAndTheCall(string assignment, string message)
    {
        var error = Assert.Throws<ModuleParameterException>(() => ModuleParameters.Parse(s_module, [assignment]));

        Assert.That(error!.Message, Is.EqualTo(message));
    }

    [Test]
    public void AParameterGivenTwice_IsRefused()
    {
        var error = Assert.Throws<ModuleParameterException>(() => ModuleParameters.Parse(s_module, ["herd=5", "herd=6"]));

        Assert.That(error!.Message, Is.EqualTo("ModuleParameters.Parse: parameter 'herd' is assigned twice; assign each parameter once"));
    }

    [Test]
    public void AModuleWithoutParameters_SaysItHasNone()
    {
        var error = Assert.Throws<ModuleParameterException>(() => ModuleParameters.Parse(new EmptyModule(), ["x=1"]));

        Assert.That(error!.Message, Is.EqualTo("ModuleParameters.Parse: module 'empty' has no parameter 'x'; it has: none"));
    }

    // A program (Grazers.Server, the template's test) builds its context with ModuleContext.For: the errors name that call
    // and never the simhost flag its user did not type.
    [TestCase("herd=abc", "ModuleContext.For: parameter 'herd' is a whole number from 1 to 10000000, not 'abc'")]
    [TestCase("herd", "ModuleContext.For: parameter assignment 'herd' is not NAME=VALUE; write e.g. \"herd=50000\"")]
    [TestCase("hrd=5", "ModuleContext.For: module 'herd-test' has no parameter 'hrd'; it has: herd (whole number, default 50000), growth (number, default 0.5), calving (true/false, default true)")]
    [TestCase("herd=5,herd=6", "ModuleContext.For: parameter 'herd' is assigned twice; assign each parameter once")]
    public void ContextFor_RefusesAnAssignment_NamingTheParameterAndItselfNotTheCommandLine(string assignments, string message)
    {
        var error = Assert.Throws<ModuleParameterException>(() => ModuleContext.For(s_module, parameters: assignments.Split(',')));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo(message));
            Assert.That(error.Message, Does.Not.Contain("--param"));
        });
    }

    [Test]
    public void ADeclarationWhoseDefaultIsOutOfItsBounds_IsRefused() =>
        Assert.That(() => ModuleParameter.WholeNumber("herd", 0, 1, 10, "grazers"), Throws.ArgumentException.With.Message.Contains("default 0 must lie in 1..10"));

    [TestCase("Herd")]
    [TestCase("herd size")]
    [TestCase("2herd")]
    [TestCase("")]
    public void ADeclarationWithABadName_IsRefused(string name) =>
        Assert.That(() => ModuleParameter.Flag(name, true, "x"), Throws.ArgumentException.With.Message.Contains("lower-case letters, digits and dashes"));

    [Test]
    public void Context_TakesTheModulesDefaultEntitiesAndParsesItsParameters()
    {
        var context = ModuleContext.For(s_module, seed: 7, parameters: ["herd=9"], ticksPerFrame: 2);

        Assert.Multiple(() =>
        {
            Assert.That(context.Seed, Is.EqualTo(7UL));
            Assert.That(context.Entities, Is.EqualTo(s_module.DefaultEntities));
            Assert.That(context.Parameters.GetInt32("herd"), Is.EqualTo(9));
            Assert.That(context.TicksPerFrame, Is.EqualTo(2));
        });
    }
}
