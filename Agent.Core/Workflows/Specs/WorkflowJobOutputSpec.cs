namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// A job output at <c>/outputs/NAME</c>: a dataset (a new version of <see cref="DatasetRef"/>'s dataset, committed
/// only when the job succeeds), a string (the file <c>/outputs/NAME</c>), or a volume (lives for the run).
/// </summary>
public sealed record WorkflowJobOutputSpec(string Name, WorkflowValueKind Kind, string? DatasetRef)
{
    public string MountPath => $"/outputs/{Name}";
}
