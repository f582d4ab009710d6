namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// A run's status with its jobs and outputs in the workflow file's order: the run's outputs (<c>JOB.NAME</c>) job by job
/// as the jobs appear in the file, each job's as its <c>outputs</c> list them, whatever order the jobs finished in (a
/// job's results come in as it ends). Keys the plan does not know (none today) follow in the order they came. Pure.
/// </summary>
public static class RunOutputOrder
{
    public static WorkflowRunStatus Apply(RunPlan plan, WorkflowRunStatus status)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(status);
        var runOrder = plan.Jobs.SelectMany(j => j.Outputs.Keys.Select(o => $"{j.Id}.{o}")).ToList();
        var jobOrder = plan.Jobs.Select(j => j.Id).ToList();
        var outputsOf = plan.Jobs.ToDictionary(j => j.Id, j => j.Outputs.Keys.ToList(), StringComparer.Ordinal);
        return status with
        {
            Outputs = Ordered(status.Outputs, runOrder),
            Jobs = Ordered(status.Jobs, jobOrder).ToDictionary(
                j => j.Key,
                j => j.Value with { Outputs = Ordered(j.Value.Outputs, outputsOf.GetValueOrDefault(j.Key) ?? []) },
                StringComparer.Ordinal),
        };
    }

    /// <summary><paramref name="values"/> with the keys of <paramref name="order"/> first, in that order, then the rest as they were.</summary>
    private static Dictionary<string, T> Ordered<T>(IReadOnlyDictionary<string, T> values, IReadOnlyList<string> order)
    {
        var rank = order.Select((key, i) => (key, i)).ToDictionary(p => p.key, p => p.i, StringComparer.Ordinal);
        return values.Select((kv, i) => (kv, i))
            .OrderBy(p => rank.TryGetValue(p.kv.Key, out var r) ? r : order.Count + p.i)
            .ToDictionary(p => p.kv.Key, p => p.kv.Value, StringComparer.Ordinal);
    }
}
