namespace GradientNode.Core.Workflows.Runs;

/// <summary>A run as status shows it (§9.3, §9.6): <c>{workflow, run, phase, started, finished, message, inputs, outputs, jobs}</c>.</summary>
public sealed record WorkflowRunStatus
{
    public required string Workflow { get; init; }

    public required int Run { get; init; }

    public WorkflowPhase Phase { get; init; } = WorkflowPhase.Pending;

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset? Started { get; init; }

    public DateTimeOffset? Finished { get; init; }

    public string? Message { get; init; }

    public IReadOnlyDictionary<string, RunValue> Inputs { get; init; } = new Dictionary<string, RunValue>();

    /// <summary>Every job's outputs, keyed <c>job.name</c> (the alias a later job would use).</summary>
    public IReadOnlyDictionary<string, RunValue> Outputs { get; init; } = new Dictionary<string, RunValue>();

    public IReadOnlyDictionary<string, JobStatus> Jobs { get; init; } = new Dictionary<string, JobStatus>();
}
