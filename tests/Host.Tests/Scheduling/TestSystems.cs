using SimHost.Host.Scheduling;

namespace SimHost.Tests.Host.Scheduling;

// Component stand-ins: the scheduler only sees their types.
internal readonly record struct Position(float X);

internal readonly record struct Velocity(float X);

internal readonly record struct Health(int Value);

/// <summary>Shorthands for building descriptors in tests.</summary>
internal static class TestSystems
{
    /// <summary>Generous bound on any wait in a test; it only ever elapses when the scheduler is broken.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    public static SystemDescriptorBuilder Noop(string name) => SystemDescriptor.Create(name).Runs(_ => { });

    public static string[] Names(IReadOnlyList<SystemDescriptor> systems)
    {
        var names = new string[systems.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = systems[i].Name;
        }

        return names;
    }

    /// <summary>The names of each level of the named stage.</summary>
    public static string[][] LevelNames(Schedule schedule, string stage = StageNames.Update)
    {
        foreach (var s in schedule.Stages)
        {
            if (s.Name == stage)
            {
                var levels = new string[s.Levels.Count][];
                for (var j = 0; j < levels.Length; j++)
                {
                    levels[j] = Names(s.Levels[j]);
                }

                return levels;
            }
        }

        throw new ArgumentException($"No stage {stage}.", nameof(stage));
    }

    public static int LevelOf(Schedule schedule, string system)
    {
        foreach (var stage in schedule.Stages)
        {
            for (var j = 0; j < stage.Levels.Count; j++)
            {
                foreach (var s in stage.Levels[j])
                {
                    if (s.Name == system)
                    {
                        return j;
                    }
                }
            }
        }

        throw new ArgumentException($"No system {system}.", nameof(system));
    }
}
