namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// A run as kept under the state dir (<c>workflows/NAME/N/run.json</c>): its plan, its status, the dataset versions
/// its running jobs are writing, and whether it was asked to stop.
/// </summary>
public sealed record RunRecord
{
    public required RunPlan Plan { get; init; }

    public required WorkflowRunStatus Status { get; init; }

    /// <summary>Open dataset writes, keyed <c>job/output</c>: committed when the job succeeds, aborted otherwise.</summary>
    public IReadOnlyDictionary<string, DatasetWrite> Writes { get; init; } = new Dictionary<string, DatasetWrite>();

    public bool CancelRequested { get; init; }
}
