using SimHost.Host.Scheduling;
using static SimHost.Tests.Host.Scheduling.TestSystems;

#pragma warning disable CA1861 // Expected values read best inline; tests are not a hot path.

namespace SimHost.Tests.Host.Scheduling;

public sealed class ScheduleLevelTests
{
    [Test]
    public void BeforeAndAfter_OrderSystemsAgainstRegistrationOrder()
    {
        var schedule = new ScheduleBuilder()
            .Add(Noop("Render").After("Move"))
            .Add(Noop("Move").After("Input"))
            .Add(Noop("Input").Before("Render"))
            .Build();

        Assert.That(LevelNames(schedule), Is.EqualTo(new[] { new[] { "Input" }, new[] { "Move" }, new[] { "Render" } }));
    }

    [Test]
    public void WriterThenReader_AreInSuccessiveLevels()
    {
        var schedule = new ScheduleBuilder()
            .Add(Noop("Integrate").Reads<Velocity>().Writes<Position>())
            .Add(Noop("Render").Reads<Position>())
            .Build();

        Assert.That(LevelNames(schedule), Is.EqualTo(new[] { new[] { "Integrate" }, new[] { "Render" } }));
    }

    [Test]
    public void ReaderThenWriter_FollowRegistrationOrder()
    {
        var schedule = new ScheduleBuilder()
            .Add(Noop("Render").Reads<Position>())
            .Add(Noop("Integrate").Writes<Position>())
            .Build();

        Assert.That(LevelNames(schedule), Is.EqualTo(new[] { new[] { "Render" }, new[] { "Integrate" } }));
    }

    [Test]
    public void TwoWriters_AreInSuccessiveLevels()
    {
        var schedule = new ScheduleBuilder()
            .Add(Noop("Gravity").Writes<Velocity>())
            .Add(Noop("Drag").Writes<Velocity>())
            .Build();

        Assert.That(LevelNames(schedule), Is.EqualTo(new[] { new[] { "Gravity" }, new[] { "Drag" } }));
    }

    [Test]
    public void Readers_ShareALevel()
    {
        var schedule = new ScheduleBuilder()
            .Add(Noop("Render").Reads<Position>().Reads<Health>())
            .Add(Noop("Audio").Reads<Position>())
            .Add(Noop("Network").Reads<Position>().ReadsResource("Clock"))
            .Add(Noop("Stats").ReadsResource("Clock"))
            .Build();

        Assert.That(LevelNames(schedule), Is.EqualTo(new[] { new[] { "Render", "Audio", "Network", "Stats" } }));
    }

    [Test]
    public void Resources_ConflictLikeComponents()
    {
        var schedule = new ScheduleBuilder()
            .Add(Noop("Tick").WritesResource("Clock"))
            .Add(Noop("Log").ReadsResource("Clock"))
            .Add(Noop("Spawn").WritesResource("Rng"))
            .Add(Noop("Scatter").WritesResource("Rng"))
            .Add(Noop("Count").ReadsResource("Other"))
            .Build();

        Assert.That(LevelNames(schedule), Is.EqualTo(new[]
        {
            new[] { "Tick", "Spawn", "Count" },
            new[] { "Log", "Scatter" },
        }));
    }

    [Test]
    public void ComponentAndResourceWithTheSameName_DoNotConflict()
    {
        var schedule = new ScheduleBuilder()
            .Add(Noop("A").Writes<Position>())
            .Add(Noop("B").WritesResource(nameof(Position)))
            .Build();

        Assert.That(LevelNames(schedule), Is.EqualTo(new[] { new[] { "A", "B" } }));
    }

    [Test]
    public void OffloadedSystems_ConflictLikeInProcessOnes()
    {
        var schedule = new ScheduleBuilder()
            .Add(Noop("Physics").Offloaded().Reads<Velocity>().Writes<Position>())
            .Add(Noop("Steer").Writes<Velocity>())
            .Add(Noop("Damage").Offloaded().Writes<Health>())
            .Add(Noop("Render").Offloaded().Reads<Position>().Reads<Health>())
            .Build();

        Assert.That(LevelNames(schedule), Is.EqualTo(new[]
        {
            new[] { "Physics", "Damage" },
            new[] { "Steer", "Render" },
        }));
    }

    [Test]
    public void ExplicitEdge_OverridesRegistrationOrderOfConflictingSystems()
    {
        var schedule = new ScheduleBuilder()
            .Add(Noop("Render").Reads<Position>().After("Integrate"))
            .Add(Noop("Integrate").Writes<Position>())
            .Build();

        Assert.That(LevelNames(schedule), Is.EqualTo(new[] { new[] { "Integrate" }, new[] { "Render" } }));
    }

    [Test]
    public void Level_IsOnePlusHighestPredecessorLevel()
    {
        var schedule = new ScheduleBuilder()
            .Add(Noop("A").Writes<Position>())
            .Add(Noop("B").Reads<Position>().Writes<Velocity>())
            .Add(Noop("C").Reads<Velocity>())
            .Add(Noop("D").After("A"))
            .Add(Noop("E").After("C").After("D"))
            .Add(Noop("F"))
            .Build();

        Assert.That(LevelNames(schedule), Is.EqualTo(new[]
        {
            new[] { "A", "F" },
            new[] { "B", "D" },
            new[] { "C" },
            new[] { "E" },
        }));
    }

    [Test]
    public void Stages_KeepTheirConfiguredOrder_AndSystemsFollowScheduleOrder()
    {
        var schedule = new ScheduleBuilder([new StageDefinition("Late"), new StageDefinition("Early", RunsOnce: true)])
            .Add(Noop("B").InStage("Early").Writes<Position>())
            .Add(Noop("A").InStage("Late"))
            .Add(Noop("C").InStage("Early").Writes<Position>())
            .Build();

        Assert.That(schedule.Stages.Select(s => s.Name), Is.EqualTo(new[] { "Late", "Early" }));
        Assert.That(schedule.Stages[1].RunsOnce, Is.True);
        Assert.That(Names(schedule.Systems), Is.EqualTo(new[] { "A", "B", "C" }));
    }

    [Test]
    public void Describe_ListsStagesLevelsAccessAndReasons()
    {
        var schedule = new ScheduleBuilder()
            .Add(Noop("Input").InStage(StageNames.PreUpdate).WritesResource("Keys"))
            .Add(Noop("Physics").Offloaded().Reads<Velocity>().Writes<Position>())
            .Add(Noop("Render").Reads<Position>())
            .Add(Noop("Hud").After("Physics"))
            .Build();

        var text = schedule.Describe();

        Assert.That(text, Does.Contain("stage Startup (first frame only): no systems"));
        Assert.That(text, Does.Contain("stage PreUpdate\n  level 0\n    Input [InProcess]; writes resources Keys\n"));
        Assert.That(text, Does.Contain("    Physics [Offloaded]; reads Velocity; writes Position\n"));
        Assert.That(text, Does.Contain("  level 1\n    Render [InProcess]; reads Position; after (conflict) Physics\n"));
        Assert.That(text, Does.Contain("    Hud [InProcess]; after Physics\n"));
    }
}
