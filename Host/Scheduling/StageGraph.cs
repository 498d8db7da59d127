namespace SimHost.Host.Scheduling;

/// <summary>
/// The ordering DAG of one stage, built from explicit before/after edges plus one conflict edge per pair of
/// conflicting systems the explicit edges do not already order. Indices are positions in the stage's
/// registration order.
/// </summary>
internal sealed class StageGraph
{
    private StageGraph(int[] levels, int[][] explicitPredecessors, int[][] conflictPredecessors)
    {
        Levels = levels;
        ExplicitPredecessors = explicitPredecessors;
        ConflictPredecessors = conflictPredecessors;
    }

    /// <summary>Level of each system: 0 for roots, otherwise 1 + the highest level of its predecessors.</summary>
    public int[] Levels { get; }

    /// <summary>Predecessors each system declared (or was declared with) through before/after.</summary>
    public int[][] ExplicitPredecessors { get; }

    /// <summary>Predecessors added only because their access sets conflict.</summary>
    public int[][] ConflictPredecessors { get; }

    /// <summary>
    /// Builds the graph of <paramref name="systems"/>, or returns null and appends the error when the explicit
    /// edges form a cycle. <paramref name="edges"/> holds resolved explicit edges (from runs before to).
    /// </summary>
    public static StageGraph? Build(IReadOnlyList<SystemDescriptor> systems, IEnumerable<(int From, int To)> edges, List<string> errors)
    {
        var count = systems.Count;
        var successors = new List<int>[count];
        var explicitPredecessors = new List<int>[count];
        var conflictPredecessors = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            successors[i] = [];
            explicitPredecessors[i] = [];
            conflictPredecessors[i] = [];
        }

        foreach (var (from, to) in edges)
        {
            if (!successors[from].Contains(to))
            {
                successors[from].Add(to);
                explicitPredecessors[to].Add(from);
            }
        }

        var cycle = FindCycle(successors);
        if (cycle is not null)
        {
            errors.Add($"Systems of stage '{systems[0].Stage}' form a cycle: {FormatCycle(systems, cycle)}.");
            return null;
        }

        // reach[x] is the set of systems reachable from x. Each conflict edge is added only between systems the
        // graph does not already order, and always from a system to one that cannot reach it back, so conflict
        // edges can never close a cycle: the explicit order wins, registration order decides the rest.
        var words = (count + 63) / 64;
        var reach = new ulong[count][];
        for (var i = 0; i < count; i++)
        {
            reach[i] = new ulong[words];
        }

        var order = TopologicalOrder(successors, explicitPredecessors);
        for (var k = count - 1; k >= 0; k--)
        {
            var x = order[k];
            foreach (var s in successors[x])
            {
                SetBit(reach[x], s);
                Or(reach[x], reach[s]);
            }
        }

        for (var i = 0; i < count; i++)
        {
            for (var j = i + 1; j < count; j++)
            {
                if (!systems[i].ConflictsWith(systems[j]) || HasBit(reach[i], j) || HasBit(reach[j], i))
                {
                    continue;
                }

                successors[i].Add(j);
                conflictPredecessors[j].Add(i);
                for (var x = 0; x < count; x++)
                {
                    if (x == i || HasBit(reach[x], i))
                    {
                        SetBit(reach[x], j);
                        Or(reach[x], reach[j]);
                    }
                }
            }
        }

        var allPredecessors = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            allPredecessors[i] = [.. explicitPredecessors[i], .. conflictPredecessors[i]];
        }

        var levels = new int[count];
        foreach (var v in TopologicalOrder(successors, allPredecessors))
        {
            foreach (var p in allPredecessors[v])
            {
                levels[v] = Math.Max(levels[v], levels[p] + 1);
            }
        }

        return new StageGraph(levels, ToArrays(explicitPredecessors), ToArrays(conflictPredecessors));
    }

    /// <summary>Returns the systems of one cycle (first system not repeated), or null when the graph is acyclic.</summary>
    internal static List<int>? FindCycle(List<int>[] successors)
    {
        // 0 = unvisited, 1 = on the current path, 2 = done. Iterative so a long chain cannot overflow the stack.
        var state = new byte[successors.Length];
        var path = new List<int>();
        var nextChild = new int[successors.Length];
        for (var root = 0; root < successors.Length; root++)
        {
            if (state[root] != 0)
            {
                continue;
            }

            path.Add(root);
            state[root] = 1;
            while (path.Count > 0)
            {
                var v = path[^1];
                if (nextChild[v] == successors[v].Count)
                {
                    state[v] = 2;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }

                var w = successors[v][nextChild[v]++];
                if (state[w] == 1)
                {
                    return path.GetRange(path.IndexOf(w), path.Count - path.IndexOf(w));
                }

                if (state[w] == 0)
                {
                    state[w] = 1;
                    path.Add(w);
                }
            }
        }

        return null;
    }

    private static string FormatCycle(IReadOnlyList<SystemDescriptor> systems, List<int> cycle)
    {
        var names = new string[cycle.Count + 1];
        for (var i = 0; i < cycle.Count; i++)
        {
            names[i] = systems[cycle[i]].Name;
        }

        names[^1] = names[0];
        return string.Join(" -> ", names);
    }

    // Kahn's algorithm; the caller guarantees the graph is acyclic.
    private static int[] TopologicalOrder(List<int>[] successors, List<int>[] predecessors)
    {
        var count = successors.Length;
        var remaining = new int[count];
        var queue = new Queue<int>(count);
        for (var i = 0; i < count; i++)
        {
            remaining[i] = predecessors[i].Count;
            if (remaining[i] == 0)
            {
                queue.Enqueue(i);
            }
        }

        var order = new int[count];
        var n = 0;
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            order[n++] = v;
            foreach (var s in successors[v])
            {
                if (--remaining[s] == 0)
                {
                    queue.Enqueue(s);
                }
            }
        }

        if (n != count)
        {
            throw new InvalidOperationException("Internal error: the stage graph has a cycle after validation.");
        }

        return order;
    }

    private static int[][] ToArrays(List<int>[] lists)
    {
        var arrays = new int[lists.Length][];
        for (var i = 0; i < lists.Length; i++)
        {
            lists[i].Sort();
            arrays[i] = [.. lists[i]];
        }

        return arrays;
    }

    private static bool HasBit(ulong[] bits, int index) => (bits[index >> 6] & (1UL << (index & 63))) != 0;

    private static void SetBit(ulong[] bits, int index) => bits[index >> 6] |= 1UL << (index & 63);

    private static void Or(ulong[] target, ulong[] source)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] |= source[i];
        }
    }
}
