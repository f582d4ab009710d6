namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// What a run executes, made once from the validated workflow spec and the run's inputs, and kept with the run (so
/// a daemon restart continues the same run even if the file changed). Secret references stay references
/// (<c>secret:NAME</c>): they are resolved when a job starts and never stored resolved.
/// </summary>
public sealed record RunPlan
{
    public required string Workflow { get; init; }

    /// <summary>The jobs in the file's order (the order ready jobs start in).</summary>
    public required IReadOnlyList<JobPlan> Jobs { get; init; }

    /// <summary>The run's <c>timeout</c> in seconds; null for none.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>The workflow's inputs as given for this run: dataset <c>with.ref</c>/<c>with.id</c>, string <c>with.value</c>, volume.</summary>
    public IReadOnlyDictionary<string, JobInput> Inputs { get; init; } = new Dictionary<string, JobInput>();
}
