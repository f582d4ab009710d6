namespace GradientNode.Core.Workflows.Runs;

/// <summary>One job of a run, as status shows it (§9.6): <c>{phase, started, finished, message, exitCode, inputs, outputs}</c>.</summary>
public sealed record JobStatus
{
    public WorkflowPhase Phase { get; init; } = WorkflowPhase.Pending;

    public DateTimeOffset? Started { get; init; }

    public DateTimeOffset? Finished { get; init; }

    public string? Message { get; init; }

    public int? ExitCode { get; init; }

    public IReadOnlyDictionary<string, RunValue> Inputs { get; init; } = new Dictionary<string, RunValue>();

    public IReadOnlyDictionary<string, RunValue> Outputs { get; init; } = new Dictionary<string, RunValue>();
}
