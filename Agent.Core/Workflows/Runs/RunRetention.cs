namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// Which runs of one workflow retention deletes (<c>workflowRunsKept</c>): the oldest ended runs beyond the newest
/// <c>kept</c> ended ones. A run that has not ended is never chosen, nor counted; <c>kept</c> 0 keeps every run. Pure.
/// </summary>
public static class RunRetention
{
    public const int DefaultKept = 100;

    /// <summary>The numbers of the runs to delete, oldest first; <paramref name="runs"/> in any order.</summary>
    public static IReadOnlyList<int> Doomed(IEnumerable<WorkflowRunStatus> runs, int kept)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfNegative(kept);
        if (kept == 0)
        {
            return [];
        }

        var ended = runs.Where(r => r.Phase.IsFinished()).Select(r => r.Run).OrderDescending().ToList();
        return [.. ended.Skip(kept).Order()];
    }
}
