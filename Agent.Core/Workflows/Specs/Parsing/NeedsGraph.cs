namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// The <c>needs</c> graph: a topological order (a job after all it needs; among ready jobs, file order) and
/// its cycles, each reported once, as the path of job ids that closes it (<c>a -> b -> a</c>).
/// </summary>
internal static class NeedsGraph
{
    /// <summary>Jobs in order; null when there is a cycle (see <see cref="Cycles"/>). Linear in jobs and needs (<see cref="NeedsOrder"/>).</summary>
    public static List<string>? Order(IReadOnlyList<string> jobs, IReadOnlyDictionary<string, IReadOnlyList<string>> needs)
    {
        var index = new Dictionary<string, int>(jobs.Count, StringComparer.Ordinal);
        for (var i = 0; i < jobs.Count; i++)
        {
            index[jobs[i]] = i;
        }

        var order = NeedsOrder.Of(jobs.Count, i => needs[jobs[i]].Where(index.ContainsKey).Select(n => index[n]), breakCycles: false);
        return order.Count < jobs.Count ? null : [.. order.Select(i => jobs[i])];
    }

    /// <summary>Each elementary cycle found by a depth-first walk in file order, as a closed path.</summary>
    public static List<List<string>> Cycles(IReadOnlyList<string> jobs, IReadOnlyDictionary<string, IReadOnlyList<string>> needs)
    {
        var cycles = new List<List<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<string>();

        void Visit(string job)
        {
            state[job] = 1;
            stack.Add(job);
            foreach (var need in needs[job])
            {
                if (state.GetValueOrDefault(need) == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(need)).Append(need).ToList();
                    var key = string.Join(",", cycle.Skip(1).Order(StringComparer.Ordinal));
                    if (seen.Add(key))
                    {
                        cycles.Add(cycle);
                    }
                }
                else if (state.GetValueOrDefault(need) == 0)
                {
                    Visit(need);
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[job] = 2;
        }

        foreach (var job in jobs.Where(j => state.GetValueOrDefault(j) == 0))
        {
            Visit(job);
        }

        return cycles;
    }
}
