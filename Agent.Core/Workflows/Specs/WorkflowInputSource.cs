namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// A job input's resolved source: a workflow input (<see cref="Name"/>), another job's output (<see cref="Job"/>,
/// <see cref="Name"/>), or an inline definition (<see cref="Inline"/>).
/// </summary>
public sealed record WorkflowInputSource(WorkflowInputSourceKind Kind, string? Job, string? Name, WorkflowInputSpec? Inline)
{
    public static WorkflowInputSource FromWorkflowInput(string name) => new(WorkflowInputSourceKind.WorkflowInput, null, name, null);

    public static WorkflowInputSource FromJobOutput(string job, string name) => new(WorkflowInputSourceKind.JobOutput, job, name, null);

    public static WorkflowInputSource FromInline(WorkflowInputSpec inline) => new(WorkflowInputSourceKind.Inline, null, null, inline);

    /// <summary>As written in an alias: <c>workflow.inputs.X</c>, <c>JOB.outputs.Y</c>, or <c>(inline)</c>.</summary>
    public override string ToString() => Kind switch
    {
        WorkflowInputSourceKind.WorkflowInput => $"workflow.inputs.{Name}",
        WorkflowInputSourceKind.JobOutput => $"{Job}.outputs.{Name}",
        _ => "(inline)",
    };
}
