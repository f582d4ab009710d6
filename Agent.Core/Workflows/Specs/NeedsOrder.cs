namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// Kahn's topological order of jobs by their needs, ties broken by file order (the ready job that comes first in the
/// file goes next), in O((jobs + needs) log jobs): a min-heap of ready jobs by file index. Before, each pick scanned every
/// job left (quadratic in the job count: a chain written backwards, 1000 jobs, took a million checks per parse and per
/// scheduling step). Needs that name no job are ignored. When no job is ready and some are left (they form a cycle),
/// <paramref name="breakCycles"/> says whether the first of them in file order goes next as if its needs were met
/// (the scheduler: validation refuses cycles) or the order ends there, incomplete.
/// </summary>
internal static class NeedsOrder
{
    /// <summary>Indexes into <paramref name="needsOf"/>'s jobs (0..count-1, file order), each job after the jobs it needs.</summary>
    public static List<int> Of(int count, Func<int, IEnumerable<int>> needsOf, bool breakCycles)
    {
        ArgumentNullException.ThrowIfNull(needsOf);
        var waiting = new int[count];
        var dependants = new List<int>?[count];
        for (var job = 0; job < count; job++)
        {
            foreach (var need in needsOf(job).Distinct())
            {
                waiting[job]++;
                (dependants[need] ??= []).Add(job);
            }
        }

        var ready = new PriorityQueue<int, int>();
        for (var job = 0; job < count; job++)
        {
            if (waiting[job] == 0)
            {
                ready.Enqueue(job, job);
            }
        }

        var placed = new bool[count];
        var order = new List<int>(count);
        var firstLeft = 0;
        while (order.Count < count)
        {
            if (!ready.TryDequeue(out var next, out _))
            {
                if (!breakCycles)
                {
                    break;
                }

                while (placed[firstLeft])
                {
                    firstLeft++;
                }

                next = firstLeft;
            }
            else if (placed[next])
            {
                continue; // forced out of a cycle before its needs were all placed
            }

            placed[next] = true;
            order.Add(next);
            foreach (var dependant in dependants[next] ?? [])
            {
                if (--waiting[dependant] == 0 && !placed[dependant])
                {
                    ready.Enqueue(dependant, dependant);
                }
            }
        }

        return order;
    }
}
