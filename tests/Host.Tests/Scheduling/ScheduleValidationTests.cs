using SimHost.Host.Scheduling;
using static SimHost.Tests.Host.Scheduling.TestSystems;

#pragma warning disable CA1861 // Expected values read best inline; tests are not a hot path.

namespace SimHost.Tests.Host.Scheduling;

public sealed class ScheduleValidationTests
{
    [Test]
    public void Build_RejectsDuplicateNames()
    {
        var builder = new ScheduleBuilder().Add(Noop("Move")).Add(Noop("Move").InStage(StageNames.PostUpdate));

        var error = Assert.Throws<ScheduleValidationException>(() => builder.Build());

        Assert.That(error.Errors, Is.EqualTo(new[] { "System name 'Move' is registered more than once." }));
    }

    [Test]
    public void Build_RejectsUnknownBeforeName_NamingBothSystems()
    {
        var builder = new ScheduleBuilder().Add(Noop("Move").Before("Render"));

        var error = Assert.Throws<ScheduleValidationException>(() => builder.Build());

        Assert.That(error.Errors, Has.Count.EqualTo(1));
        Assert.That(error.Errors[0], Does.Contain("'Move'").And.Contain("Before('Render')").And.Contain("no system named 'Render'"));
    }

    [Test]
    public void Build_RejectsUnknownAfterName_NamingBothSystems()
    {
        var builder = new ScheduleBuilder().Add(Noop("Move")).Add(Noop("Collide").After("Integrate"));

        var error = Assert.Throws<ScheduleValidationException>(() => builder.Build());

        Assert.That(error.Message, Does.Contain("'Collide'").And.Contain("After('Integrate')").And.Contain("no system named 'Integrate'"));
    }

    [Test]
    public void Build_RejectsOrderingAcrossStages()
    {
        var builder = new ScheduleBuilder()
            .Add(Noop("Input").InStage(StageNames.PreUpdate))
            .Add(Noop("Move").After("Input"));

        var error = Assert.Throws<ScheduleValidationException>(() => builder.Build());

        Assert.That(error.Errors[0], Does.Contain("'Move'").And.Contain("'Input' is in stage 'PreUpdate'"));
    }

    [Test]
    public void Build_RejectsUnknownStage()
    {
        var builder = new ScheduleBuilder().Add(Noop("Move").InStage("Physics"));

        var error = Assert.Throws<ScheduleValidationException>(() => builder.Build());

        Assert.That(error.Errors[0], Does.Contain("'Move'").And.Contain("'Physics'").And.Contain("Startup, PreUpdate"));
    }

    [Test]
    public void Build_ReportsCycleWithEverySystemInIt()
    {
        var builder = new ScheduleBuilder()
            .Add(Noop("A").Before("B"))
            .Add(Noop("B").Before("C"))
            .Add(Noop("C").Before("A"))
            .Add(Noop("Outside").After("A"));

        var error = Assert.Throws<ScheduleValidationException>(() => builder.Build());

        Assert.That(error.Errors, Is.EqualTo(new[] { "Systems of stage 'Update' form a cycle: A -> B -> C -> A." }));
    }

    [Test]
    public void Build_ReportsCycleMixingBeforeAndAfter()
    {
        var builder = new ScheduleBuilder()
            .Add(Noop("A").After("B"))
            .Add(Noop("B").After("A"));

        var error = Assert.Throws<ScheduleValidationException>(() => builder.Build());

        Assert.That(error.Errors[0], Does.Contain("A -> B -> A"));
    }

    [Test]
    public void Build_ReportsSystemOrderedAgainstItselfAsCycle()
    {
        var builder = new ScheduleBuilder().Add(Noop("A").Before("A"));

        var error = Assert.Throws<ScheduleValidationException>(() => builder.Build());

        Assert.That(error.Errors[0], Does.Contain("A -> A"));
    }

    [Test]
    public void Build_ReportsEveryProblemAtOnce()
    {
        var builder = new ScheduleBuilder()
            .Add(Noop("A").Before("Missing"))
            .Add(Noop("A"))
            .Add(Noop("B").InStage(StageNames.Cleanup).Before("C"))
            .Add(Noop("C").InStage(StageNames.Cleanup).Before("B"));

        var error = Assert.Throws<ScheduleValidationException>(() => builder.Build());

        Assert.That(error.Errors, Has.Count.EqualTo(3));
        Assert.That(error.Message, Does.Contain("3 problems"));
    }

    [Test]
    public void Build_ConflictEdgesFollowTransitiveExplicitOrder_InsteadOfReportingAFalseCycle()
    {
        // A and C both write Position and A is registered first, but C -> B -> A is declared: C must run first.
        var schedule = new ScheduleBuilder()
            .Add(Noop("A").Writes<Position>())
            .Add(Noop("B").Before("A"))
            .Add(Noop("C").Writes<Position>().Before("B"))
            .Build();

        Assert.That(LevelNames(schedule), Is.EqualTo(new[] { new[] { "C" }, new[] { "B" }, new[] { "A" } }));
    }

    [Test]
    public void Builder_RejectsDuplicateStageNames()
    {
        Assert.That(
            () => new ScheduleBuilder([new StageDefinition("Tick"), new StageDefinition("Tick")]),
            Throws.ArgumentException.With.Message.Contains("'Tick'"));
    }

    [Test]
    public void DescriptorBuild_RequiresWork()
    {
        Assert.That(
            () => SystemDescriptor.Create("Move").Build(),
            Throws.InvalidOperationException.With.Message.Contains("'Move'"));
    }
}
