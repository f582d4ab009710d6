namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// One job of a run, as status shows it (§9.6): <c>{phase, started, finished, message, exitCode, inputs, outputs}</c>,
/// plus <c>needs</c> (an extra: the jobs it waits for, so a client can draw the run's DAG).
/// </summary>
public sealed record JobStatus
{
    /// <summary>The ids of the jobs this job needs (its edges in the run's DAG), in the file's order; empty in runs recorded before it was kept.</summary>
    public IReadOnlyList<string> Needs { get; init; } = [];

    public WorkflowPhase Phase { get; init; } = WorkflowPhase.Pending;

    public DateTimeOffset? Started { get; init; }

    public DateTimeOffset? Finished { get; init; }

    public string? Message { get; init; }

    public int? ExitCode { get; init; }

    public IReadOnlyDictionary<string, RunValue> Inputs { get; init; } = new Dictionary<string, RunValue>();

    public IReadOnlyDictionary<string, RunValue> Outputs { get; init; } = new Dictionary<string, RunValue>();
}
