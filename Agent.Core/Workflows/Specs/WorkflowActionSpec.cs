namespace GradientNode.Core.Workflows.Specs;

/// <summary>A job's validated <c>with</c>; one sealed record per action.</summary>
public abstract record WorkflowActionSpec
{
    public abstract WorkflowAction Action { get; }
}
