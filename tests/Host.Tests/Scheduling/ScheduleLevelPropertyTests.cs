using CsCheck;
using SimHost.Host.Scheduling;
using static SimHost.Tests.Host.Scheduling.TestSystems;

namespace SimHost.Tests.Host.Scheduling;

public sealed class ScheduleLevelPropertyTests
{
    private static readonly Type[] s_components = [typeof(Position), typeof(Velocity), typeof(Health)];

    private static readonly Gen<(int[] Reads, int[] Writes, int[] Order, bool[] Edges)> s_stages =
        from n in Gen.Int[1, 8]
        from reads in Gen.Int[0, 7].Array[n]
        from writes in Gen.Int[0, 7].Array[n]
        from order in Gen.Shuffle(Enumerable.Range(0, n).ToArray())
        from edges in Gen.Bool.Array[n * n]
        select (reads, writes, order, edges);

    [Test]
    public void Levels_SeparateConflicts_RespectExplicitEdges_AndAreMinimal()
    {
        s_stages.SampleSeeded(stage =>
        {
            var (reads, writes, order, edges) = stage;
            var n = reads.Length;
            var explicitEdges = new List<(int From, int To)>();
            var builders = new SystemDescriptorBuilder[n];
            for (var i = 0; i < n; i++)
            {
                builders[i] = Noop($"S{i}");
                for (var c = 0; c < s_components.Length; c++)
                {
                    if ((reads[i] & (1 << c)) != 0)
                    {
                        builders[i].Reads(s_components[c]);
                    }

                    if ((writes[i] & (1 << c)) != 0)
                    {
                        builders[i].Writes(s_components[c]);
                    }
                }
            }

            // Explicit edges only follow a random permutation, so they never form a cycle but often run against
            // registration order.
            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    if (edges[(p * n) + q])
                    {
                        builders[order[p]].Before($"S{order[q]}");
                        explicitEdges.Add((order[p], order[q]));
                    }
                }
            }

            var descriptors = builders.Select(b => b.Build()).ToArray();
            var scheduleBuilder = new ScheduleBuilder();
            foreach (var descriptor in descriptors)
            {
                scheduleBuilder.Add(descriptor);
            }

            var schedule = scheduleBuilder.Build();
            var level = descriptors.Select(d => LevelOf(schedule, d.Name)).ToArray();

            for (var i = 0; i < n; i++)
            {
                for (var j = i + 1; j < n; j++)
                {
                    if (descriptors[i].ConflictsWith(descriptors[j]))
                    {
                        Assert.That(level[i], Is.Not.EqualTo(level[j]), $"conflicting S{i} and S{j} share a level");
                    }
                }
            }

            foreach (var (from, to) in explicitEdges)
            {
                Assert.That(level[from], Is.LessThan(level[to]), $"S{from} must run before S{to}");
            }

            for (var i = 0; i < n; i++)
            {
                if (level[i] == 0)
                {
                    continue;
                }

                var hasReason = false;
                for (var j = 0; j < n; j++)
                {
                    hasReason |= level[j] == level[i] - 1
                        && (explicitEdges.Contains((j, i)) || descriptors[i].ConflictsWith(descriptors[j]));
                }

                Assert.That(hasReason, Is.True, $"S{i} is at level {level[i]} with no reason at level {level[i] - 1}");
            }
        }, iterations: 300);
    }
}
