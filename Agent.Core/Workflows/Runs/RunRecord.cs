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

    /// <summary>
    /// The model version each <c>create-model@v1</c> job commits (<c>NAME:VERSION</c>), keyed by job, written just before
    /// the commit: a job re-run after a restart reuses it instead of adding a second version.
    /// </summary>
    public IReadOnlyDictionary<string, string> ModelVersions { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The jobs' inline dataset inputs, resolved (and held) when the run started, keyed <c>JOB/NAME</c>: the version a job
    /// mounts. Empty in runs recorded before they were kept; their jobs resolve such an input when they are prepared.
    /// </summary>
    public IReadOnlyDictionary<string, RunValue> PinnedInputs { get; init; } = new Dictionary<string, RunValue>();

    public bool CancelRequested { get; init; }
}
