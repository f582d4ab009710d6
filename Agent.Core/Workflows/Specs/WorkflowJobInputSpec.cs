namespace GradientNode.Core.Workflows.Specs;

/// <summary>A job input, mounted read-only at <c>/inputs/NAME</c>; <see cref="Kind"/> is its source's kind.</summary>
public sealed record WorkflowJobInputSpec(string Name, WorkflowValueKind Kind, WorkflowInputSource Source, bool Optional)
{
    public string MountPath => $"/inputs/{Name}";
}
